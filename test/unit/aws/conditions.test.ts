// Condition operators: AWS's documented semantics, with the three-valued "unknown" for keys the
// static analysis does not know.
import { context, evaluateCondition, evaluateConditions } from '../../../src/identity/aws/index.js';

const known = (values: Record<string, string | string[]>, absent: string[] = []) => context(values, (k) => absent.includes(k));

describe('condition operators', () => {
  test.each([
    ['StringEquals matches exactly', 'StringEquals', 'aws:PrincipalTag/team', ['ml'], known({ 'aws:PrincipalTag/team': 'ml' }), 'true'],
    ['StringEquals is case-sensitive on values', 'StringEquals', 'aws:PrincipalTag/team', ['ML'], known({ 'aws:PrincipalTag/team': 'ml' }), 'false'],
    ['StringEqualsIgnoreCase is not', 'StringEqualsIgnoreCase', 'aws:PrincipalTag/team', ['ML'], known({ 'aws:PrincipalTag/team': 'ml' }), 'true'],
    ['keys are case-insensitive', 'StringEquals', 'AWS:PRINCIPALTAG/TEAM', ['ml'], known({ 'aws:PrincipalTag/team': 'ml' }), 'true'],
    ['values OR', 'StringEquals', 'aws:RequestedRegion', ['eu-west-1', 'us-east-1'], known({ 'aws:RequestedRegion': 'us-east-1' }), 'true'],
    ['StringLike with * and ?', 'StringLike', 's3:prefix', ['home/?lice/*'], known({ 's3:prefix': 'home/alice/notes' }), 'true'],
    ['StringNotEquals on a present key', 'StringNotEquals', 'aws:RequestedRegion', ['eu-west-1'], known({ 'aws:RequestedRegion': 'us-east-1' }), 'true'],
    ['negated operator on a missing key is true', 'StringNotEquals', 'aws:RequestedRegion', ['eu-west-1'], known({}, ['aws:requestedregion']), 'true'],
    ['positive operator on a missing key is false', 'StringEquals', 'aws:RequestedRegion', ['eu-west-1'], known({}, ['aws:requestedregion']), 'false'],
    ['IfExists on a missing key is true', 'StringEqualsIfExists', 'ec2:InstanceType', ['t3.micro'], known({}, ['ec2:instancetype']), 'true'],
    ['IfExists on a present key still compares', 'StringEqualsIfExists', 'ec2:InstanceType', ['t3.micro'], known({ 'ec2:InstanceType': 'p5.48xlarge' }), 'false'],
    ['unknown key is unknown', 'StringEquals', 'aws:SourceVpc', ['vpc-1'], known({}), 'unknown'],
    ['Null true: key absent', 'Null', 'aws:TokenIssueTime', ['true'], known({}, ['aws:tokenissuetime']), 'true'],
    ['Null false: key present', 'Null', 'aws:TokenIssueTime', ['false'], known({ 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' }), 'true'],
    ['NumericLessThan', 'NumericLessThan', 's3:max-keys', ['10'], known({ 's3:max-keys': '5' }), 'true'],
    ['NumericGreaterThanEquals', 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', ['3600'], known({ 'aws:MultiFactorAuthAge': '60' }), 'false'],
    ['DateLessThan', 'DateLessThan', 'aws:CurrentTime', ['2027-01-01T00:00:00Z'], known({ 'aws:CurrentTime': '2026-11-26T12:00:00Z' }), 'true'],
    ['Bool', 'Bool', 'aws:SecureTransport', ['true'], known({ 'aws:SecureTransport': 'false' }), 'false'],
    ['IpAddress in CIDR', 'IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], known({ 'aws:SourceIp': '203.0.113.9' }), 'true'],
    ['NotIpAddress outside CIDR', 'NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24'], known({ 'aws:SourceIp': '198.51.100.1' }), 'true'],
    ['ArnLike', 'ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:111122223333:*'], known({ 'aws:SourceArn': 'arn:aws:sns:eu-west-1:111122223333:topic' }), 'true'],
    ['ArnNotLike', 'ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/admin-*'], known({ 'aws:PrincipalArn': 'arn:aws:iam::1:role/admin-x' }), 'false'],
    ['ForAnyValue with a missing key is false', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], known({}, ['aws:tagkeys']), 'false'],
    ['ForAnyValue: one value suffices', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], known({ 'aws:TagKeys': ['owner', 'env'] }), 'true'],
    ['ForAllValues: every value must match', 'ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'owner'], known({ 'aws:TagKeys': ['env', 'cost'] }), 'false'],
    ['ForAllValues with a missing key is vacuously true', 'ForAllValues:StringEquals', 'aws:TagKeys', ['env'], known({}, ['aws:tagkeys']), 'true'],
    ['policy variable in a value resolves', 'StringEquals', 's3:prefix', ['home/${aws:username}'], known({ 's3:prefix': 'home/alice', 'aws:username': 'alice' }), 'true'],
    ['an unknown operator is never silently true or false', 'StringFuzzy', 'aws:x', ['y'], known({ 'aws:x': 'y' }), 'unknown'],
  ] as const)('%s', (_n, op, key, values, ctx, want) => {
    expect(evaluateCondition(op, key, [...values], ctx)).toBe(want);
  });

  test('a block ANDs operators and keys; false wins over unknown', () => {
    const block = { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] }, Bool: { 'aws:SecureTransport': ['true'] } };
    expect(evaluateConditions(block, known({ 'aws:RequestedRegion': 'eu-west-1', 'aws:SecureTransport': 'true' }))).toBe('true');
    expect(evaluateConditions(block, known({ 'aws:RequestedRegion': 'eu-west-1' }))).toBe('unknown');
    expect(evaluateConditions(block, known({ 'aws:RequestedRegion': 'us-east-1' }))).toBe('false');
  });
});
