/**
 * Pagination of the IAM reads through the real AWS SDK. moto answers GetAccountAuthorizationDetails in one
 * page and has no last-accessed API, so these pages are served as saved responses in IAM's own wire format
 * (the query protocol's XML) by a loopback HTTP server: the SDK, its XML parser and our paging loop are real.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchAuthDetails, fetchLastAccessed, iamClient } from '../../../src/collectors/aws/fetch.js';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
const role = (name: string) => `<member><RoleName>${name}</RoleName><RoleId>AROA${name.toUpperCase()}</RoleId><Arn>arn:aws:iam::111122223333:role/${name}</Arn><Path>/</Path><CreateDate>2026-01-02T03:04:05Z</CreateDate><AssumeRolePolicyDocument>${trust}</AssumeRolePolicyDocument><RolePolicyList/><AttachedManagedPolicies/></member>`;
const envelope = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${NS}"><${action}Result>${body}</${action}Result><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></${action}Response>`;

/** The three pages of one account, keyed by the Marker that asks for them ('' = first page). */
const AUTH_PAGES: Record<string, string> = {
  '': `<IsTruncated>true</IsTruncated><Marker>page-2</Marker><RoleDetailList>${role('alpha')}${role('beta')}</RoleDetailList><UserDetailList/><GroupDetailList/><Policies/>`,
  'page-2': `<IsTruncated>true</IsTruncated><Marker>page-3</Marker><RoleDetailList>${role('gamma')}</RoleDetailList><UserDetailList><member><UserName>dev</UserName><UserId>AIDADEV</UserId><Arn>arn:aws:iam::111122223333:user/dev</Arn><Path>/</Path><CreateDate>2026-01-02T03:04:05Z</CreateDate><GroupList><member>devs</member></GroupList></member></UserDetailList><GroupDetailList/><Policies/>`,
  'page-3': `<IsTruncated>false</IsTruncated><RoleDetailList/><UserDetailList/><GroupDetailList><member><GroupName>devs</GroupName><GroupId>AGPADEVS</GroupId><Arn>arn:aws:iam::111122223333:group/devs</Arn><Path>/</Path></member></GroupDetailList><Policies><member><PolicyName>read</PolicyName><PolicyId>ANPAREAD</PolicyId><Arn>arn:aws:iam::111122223333:policy/read</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>0</AttachmentCount><PolicyVersionList><member><Document>${encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }))}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></PolicyVersionList></member></Policies>`,
};
const action = (name: string, when: string) => `<member><ActionName>${name}</ActionName><LastAccessedTime>${when}</LastAccessedTime><LastAccessedRegion>us-east-1</LastAccessedRegion><LastAccessedEntity>arn:aws:iam::111122223333:role/alpha</LastAccessedEntity></member>`;
const service = (ns: string, actions: string) => `<member><ServiceName>${ns}</ServiceName><ServiceNamespace>${ns}</ServiceNamespace><LastAuthenticated>2026-11-01T00:00:00Z</LastAuthenticated><TotalAuthenticatedEntities>1</TotalAuthenticatedEntities><TrackedActionsLastAccessed>${actions}</TrackedActionsLastAccessed></member>`;
const LA_PAGES: Record<string, string> = {
  '': `<JobStatus>COMPLETED</JobStatus><JobType>ACTION_LEVEL</JobType><JobCreationDate>2026-11-02T00:00:00Z</JobCreationDate><JobCompletionDate>2026-11-02T00:00:01Z</JobCompletionDate><IsTruncated>true</IsTruncated><Marker>la-2</Marker><ServicesLastAccessed>${service('s3', action('GetObject', '2026-11-01T00:00:00Z'))}</ServicesLastAccessed>`,
  'la-2': `<JobStatus>COMPLETED</JobStatus><JobType>ACTION_LEVEL</JobType><JobCreationDate>2026-11-02T00:00:00Z</JobCreationDate><JobCompletionDate>2026-11-02T00:00:01Z</JobCompletionDate><IsTruncated>false</IsTruncated><ServicesLastAccessed>${service('bedrock', action('InvokeModel', '2026-10-30T00:00:00Z'))}</ServicesLastAccessed>`,
};

interface Server {
  url: string;
  requests: Record<string, string>[];
  close(): Promise<void>;
}

async function serve(pages: { auth: Record<string, string>; lastAccessed: Record<string, string> }): Promise<Server> {
  const requests: Record<string, string>[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push(form);
      const marker = form.Marker ?? '';
      let xml: string | undefined;
      if (form.Action === 'GetAccountAuthorizationDetails') xml = pages.auth[marker] && envelope(form.Action, pages.auth[marker]);
      else if (form.Action === 'GenerateServiceLastAccessedDetails') xml = envelope(form.Action, '<JobId>job-1</JobId>');
      else if (form.Action === 'GetServiceLastAccessedDetails') xml = pages.lastAccessed[marker] && envelope(form.Action, pages.lastAccessed[marker]);
      if (!xml) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>unknown marker ${marker.slice(0, 40)}</Message></Error><RequestId>1</RequestId></ErrorResponse>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(xml);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

beforeAll(() => {
  process.env.AWS_ACCESS_KEY_ID ??= 'testing';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'testing';
});

describe('IAM pagination through the real SDK', () => {
  test('given three pages of account authorization details, then every page is read in order and merged', async () => {
    const s = await serve({ auth: AUTH_PAGES, lastAccessed: LA_PAGES });
    try {
      const details = await fetchAuthDetails(iamClient({ endpoint: s.url }));
      expect(s.requests.filter((r) => r.Action === 'GetAccountAuthorizationDetails').map((r) => r.Marker ?? '')).toEqual(['', 'page-2', 'page-3']);
      expect(details.RoleDetailList?.map((r) => r.RoleName)).toEqual(['alpha', 'beta', 'gamma']);
      expect(details.UserDetailList?.map((u) => u.UserName)).toEqual(['dev']);
      expect(details.GroupDetailList?.map((g) => g.GroupName)).toEqual(['devs']);
      expect(details.Policies?.map((p) => p.Arn)).toEqual(['arn:aws:iam::111122223333:policy/read']);
    } finally {
      await s.close();
    }
  });

  test('given a server that keeps answering the same marker, then the read stops with an error naming the API', async () => {
    const looping = { '': AUTH_PAGES['']!, 'page-2': AUTH_PAGES['']! };
    const s = await serve({ auth: looping, lastAccessed: LA_PAGES });
    try {
      await expect(fetchAuthDetails(iamClient({ endpoint: s.url }))).rejects.toThrow(/GetAccountAuthorizationDetails.*marker page-2 repeated/);
    } finally {
      await s.close();
    }
  });

  test('given two pages of action-level last-accessed data, then both pages are merged for the principal', async () => {
    const s = await serve({ auth: AUTH_PAGES, lastAccessed: LA_PAGES });
    try {
      const arn = 'arn:aws:iam::111122223333:role/alpha';
      const out = await fetchLastAccessed(iamClient({ endpoint: s.url }), [arn], { pollMs: 10 });
      expect(s.requests.filter((r) => r.Action === 'GetServiceLastAccessedDetails').map((r) => r.Marker ?? '')).toEqual(['', 'la-2']);
      expect(s.requests.find((r) => r.Action === 'GenerateServiceLastAccessedDetails')).toMatchObject({ Arn: arn, Granularity: 'ACTION_LEVEL' });
      const services = out.get(arn)?.ServicesLastAccessed ?? [];
      expect(services.map((x) => [x.ServiceNamespace, x.TrackedActionsLastAccessed?.map((a) => a.ActionName)])).toEqual([
        ['s3', ['GetObject']],
        ['bedrock', ['InvokeModel']],
      ]);
    } finally {
      await s.close();
    }
  });
});
