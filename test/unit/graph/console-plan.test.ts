import { judgeConsolePlan, type PlanNode } from '../../../src/graph/adhoc.js';

const op = (operatorType: string, details = '', children: PlanNode[] = []): PlanNode => ({ operatorType: `${operatorType}@neo4j`, arguments: { Details: details }, children });

describe('console plan judge (Neo4j EXPLAIN plans)', () => {
  test.each([
    ['LOAD CSV under a subquery', 'r', op('ProduceResults', '', [op('Apply', '', [op('Argument'), op('LoadCSV', 'line')])]), /LOAD CSV/],
    ['SHOW TRANSACTIONS', 'r', op('ProduceResults', '', [op('ShowTransactions', 'allTransactions')]), /SHOW TRANSACTIONS is an administration command/],
    ['TERMINATE TRANSACTIONS', 'r', op('ProduceResults', '', [op('TerminateTransactions', 'transactions(x)')]), /TERMINATE TRANSACTIONS/],
    ['a system command', 's', { operatorType: 'AdministrationCommand@system', arguments: {}, children: [] }, /administration commands/],
    ['db.stats.clear', 'r', op('ProduceResults', '', [op('ProcedureCall', 'db.stats.clear($autostring_0) :: (section :: STRING)')]), /procedure db\.stats\.clear is not on the console's allow-list/],
    ['a schema write', 's', op('CreateIndex', 'RANGE INDEX FOR (n:X) ON (n.p)'), /only read-only queries/],
    ['a write', 'w', op('ProduceResults', '', [op('Create', '(n:X)')]), /only read-only queries/],
  ])('given %s, then it is refused naming why', (_name, type, plan, reason) => {
    const v = judgeConsolePlan(type, plan);
    expect(v.allowed).toBe(false);
    expect(v.allowed ? '' : v.reason).toMatch(reason);
  });

  test('given a plugin function in an expression, then it is refused; built-in functions pass', () => {
    const plan = op('ProduceResults', '', [op('Projection', 'apoc.text.join($l, $s) AS x')]);
    expect(judgeConsolePlan('r', plan, ['apoc.text.join'])).toEqual({ allowed: false, reason: expect.stringMatching(/function apoc\.text\.join is a plugin function/) });
    expect(judgeConsolePlan('r', op('ProduceResults', '', [op('Projection', 'toUpper($s) AS x')]), ['apoc.text.join'])).toEqual({ allowed: true });
  });

  test('given allow-listed procedures, then db.labels (r) and dbms.components (s, rows only) pass', () => {
    expect(judgeConsolePlan('r', op('ProduceResults', '', [op('ProcedureCall', 'db.labels() :: (label :: STRING)')]))).toEqual({ allowed: true });
    expect(judgeConsolePlan('s', op('ProduceResults', '', [op('Projection', '', [op('ProcedureCall', 'dbms.components() :: (name :: STRING)')])]))).toEqual({ allowed: true });
  });
});
