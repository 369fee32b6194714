import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

type Service = { image: string; environment: Record<string, string>; ports?: string[] };

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(projectRoot(), 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
  const neo4j = compose.services.neo4j!;
  const api = compose.services.api!;

  test('runs the neo4j:5 image and the API', () => {
    expect(neo4j.image).toBe('neo4j:5');
    expect(api).toBeDefined();
  });

  test("the API's Neo4j settings are the variables the code reads, and point at the neo4j service's Bolt port", () => {
    const env = api.environment;
    const sample = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{(\w+)[^}]*\}/g, (_, name: string) => (name === 'REACHGRAPH_API_TOKEN' ? 'x'.repeat(20) : 'secret-from-env'))]));
    const cfg = loadConfig(sample);
    expect(cfg.neo4j.external).toBe(true);
    const uri = new URL(cfg.neo4j.uri!);
    expect(uri.hostname).toBe('neo4j');
    expect(neo4j.ports?.some((p) => p.endsWith(`:${uri.port}`))).toBe(true);
    // The password the API uses is the one the Neo4j container is created with.
    expect(neo4j.environment.NEO4J_AUTH).toBe(`${env.NEO4J_USERNAME}/${env.NEO4J_PASSWORD}`);
    expect(cfg.api.port).toBe(4000);
    expect(api.ports?.some((p) => p.endsWith(`:${cfg.api.port}`))).toBe(true);
  });

  test('the Neo4j service refuses LOAD CSV file URLs, blocks URL loads and caps transaction time (issue 8, finding 6)', () => {
    const env = neo4j.environment;
    expect(env.NEO4J_dbms_security_allow__csv__import__from__file__urls).toBe('false');
    expect(env.NEO4J_internal_dbms_cypher__ip__blocklist).toBe('0.0.0.0/0,::/0');
    expect(env.NEO4J_server_directories_import).toBeTruthy();
    expect(env.NEO4J_db_transaction_timeout).toMatch(/^\d+[smh]$/);
  });

  test('publishes ports on loopback only', () => {
    for (const s of [neo4j, api]) for (const p of s.ports ?? []) expect(p.startsWith('127.0.0.1:')).toBe(true);
  });
});
