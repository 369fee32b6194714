/**
 * The Subscription root: `driftEvents(agent)` and `findingAdded`, fed by the server's one poller
 * (subscriptions.ts) over graphql-ws. Each subscribe function hands graphql-js a bounded per-subscriber
 * iterator; the field resolvers only pass the event on.
 */
import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { InputError } from '../errors.js';
import { ROLE_VIEWER } from './auth.js';
import type { ApiContext } from './context.js';
import { DriftEvent } from './drift.type.js';
import { Finding } from './finding.type.js';
import { hubOf } from './subscriptions.js';

/**
 * type-graphql insists on a PubSub once a schema has subscriptions; ours use `subscribe` functions
 * over the hub, so nothing is ever published or subscribed here.
 */
export const HUB_ONLY_PUBSUB = {
  publish(): void {
    throw new Error('subscriptions are fed by the EventHub (src/api/subscriptions.ts), not by PubSub topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions are fed by the EventHub (src/api/subscriptions.ts), not by PubSub topics');
  },
};

/** The ids a `driftEvents(agent)` subscriber matches: an AIAgent id as given, or the behaviour subject a name resolves to. */
async function driftKey(ctx: ApiContext, agent: string): Promise<string> {
  const known = await ctx.graph.read('queries/api/agent-subjects', { agents: [agent] });
  if (known.length > 0) return agent;
  const { resolveBehaviorSubject } = await import('../behavior/store.js');
  try {
    return (await resolveBehaviorSubject(ctx.graph, agent)).id;
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`agent "${agent}": neither an AIAgent id nor a behaviour subject (a sensor Workload id, an IAM ARN)`, { cause: e });
    throw e;
  }
}

/** The subscriber, once the idle hub's cursors are placed (subscriber first, so no poll can forget them); ended if that fails. */
async function subscribed<S extends { return?: () => unknown }>(hub: ReturnType<typeof hubOf>, sub: S): Promise<S> {
  try {
    await hub.ready();
    return sub;
  } catch (e) {
    await sub.return?.();
    throw e;
  }
}

@Resolver()
export class SubscriptionResolver {
  @Authorized(ROLE_VIEWER)
  @Subscription(() => DriftEvent, {
    description: 'New drift events as the behaviour engine detects them (pushed within about a second of being written): all, or one agent\'s (an AIAgent id: events of its Workloads and IAM roles; or a behaviour subject id). A subscriber that falls far behind is ended with SUBSCRIBER_TOO_SLOW.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { agent?: string | null }, ApiContext>) => {
      const hub = hubOf(context);
      const agent = args.agent;
      const key = agent ? await driftKey(context, agent) : undefined;
      return subscribed(hub, hub.fanout.subscribe((e) => (e.topic === 'drift' && (key === undefined || e.event.subject === key || e.agents.includes(key)) ? e.event : undefined)));
    },
  })
  driftEvents(@Root() event: DriftEvent, @Arg('agent', () => ID, { nullable: true }) _agent: string | null): DriftEvent {
    return event;
  }

  @Authorized(ROLE_VIEWER)
  @Subscription(() => Finding, {
    description: 'Findings as a findings refresh first stores them (pushed within about a second). A subscriber that falls far behind is ended with SUBSCRIBER_TOO_SLOW.',
    subscribe: async ({ context }: SubscribeResolverData<unknown, object, ApiContext>) => {
      const hub = hubOf(context);
      return subscribed(hub, hub.fanout.subscribe((e) => (e.topic === 'finding' ? e.finding : undefined)));
    },
  })
  findingAdded(@Root() finding: Finding): Finding {
    return finding;
  }
}
