import fc from 'fast-check';
import { parseLine } from '../../../src/graph/ingest-file.js';
import { parseParam } from '../../../src/graph/adhoc.js';
import { InputError } from '../../../src/errors.js';

describe('ingest line parsing', () => {
  test.each([
    ['{"kind":"node","label":"AWSRole"}', 'f.jsonl:7: field `id`'],
    ['{"kind":"node","label":"Nope","id":"x"}', 'f.jsonl:7: field `label`: unknown label "Nope"'],
    ['{"kind":"node","label":"AWSRole","id":"x","props":{"source":"me"}}', 'f.jsonl:7: field `props`'],
    ['{"kind":"node","label":"AWSRole","id":"x","props":{"deep":{"a":1}}}', 'f.jsonl:7: field `props.deep`'],
    ['{"kind":"rel","type":"MAY_ASSUME","from":{"label":"AWSRole","id":"a"},"to":{"label":"AWSRole","id":"b"},"count":2}', 'f.jsonl:7: field `count`: count is only for observed'],
    ['{"kind":"rel","type":"MAY_NOPE","from":{"label":"AWSRole","id":"a"},"to":{"label":"AWSRole","id":"b"}}', 'f.jsonl:7: field `type`'],
    ['{"kind":"edge"}', 'f.jsonl:7: field `kind`'],
    ['[1,2]', 'f.jsonl:7: a line must be a JSON object'],
    ['{"kind":"node","label":"AWSRole","id":"x","extra":1}', 'f.jsonl:7: '],
  ])('given %s, then the error names file, line and field', (line, msg) => {
    expect(() => parseLine('f.jsonl', 7, line)).toThrow(InputError);
    expect(() => parseLine('f.jsonl', 7, line)).toThrow(msg);
  });

  test('given valid records, then they parse with their kind', () => {
    expect(parseLine('f', 1, '{"kind":"sync","source":"aws","scope":"111122223333","mode":"replace"}').kind).toBe('sync');
    expect(parseLine('f', 2, '{"kind":"rel","type":"DID_CONNECT","from":{"label":"Workload","id":"a"},"to":{"label":"NetEndpoint","id":"1.2.3.4:443"},"count":5,"key":"443/TCP"}').kind).toBe('rel');
  });

  test('property: any string id and string props round-trip through a node line unchanged', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string(), (id, text) => {
        const p = parseLine('f', 1, JSON.stringify({ kind: 'node', label: 'MCPTool', id, props: { description: text } }));
        expect(p.rec).toEqual({ kind: 'node', label: 'MCPTool', id, props: { description: text } });
      }),
    );
  });
});

describe('--param parsing', () => {
  test('JSON values are parsed, other text is kept', () => {
    expect(parseParam('n=5')).toEqual(['n', 5]);
    expect(parseParam('xs=["a","b"]')).toEqual(['xs', ['a', 'b']]);
    expect(parseParam("q=x'}) DETACH DELETE n")).toEqual(['q', "x'}) DETACH DELETE n"]);
    expect(() => parseParam('novalue')).toThrow('expected NAME=VALUE');
    expect(() => parseParam('bad-name=1')).toThrow('not a valid parameter name');
  });
});
