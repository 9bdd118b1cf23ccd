import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';

type ActionId = string | RegExp;
type ActionArgs<A extends BlockAction> = AllMiddlewareArgs & SlackActionMiddlewareArgs<A>;
type AnyActionArgs = ActionArgs<BlockAction>;
interface Route {
  actionId: ActionId;
  handle: (args: AnyActionArgs) => Promise<void>;
}

function matches(actionId: ActionId, id: string): boolean {
  return typeof actionId === 'string' ? actionId === id : actionId.test(id);
}

/**
 * Every block action the app handles, behind one Bolt listener that picks the handler by action_id.
 *
 * Bolt runs each incoming request through every registered listener's middleware (copying the listener
 * arguments at each step) and keeps all of that until the slowest listener has finished. With one listener per
 * action id, an answer click went through 18 such chains while it waited for Slack; in `npm run bench:questionnaire`
 * that was most of what the garbage collector had to promote and then sweep. Now it goes through 5: this one,
 * and the command's and the events' listeners, which let it pass at their first step.
 */
export class ActionRouter {
  private readonly routes: Route[] = [];

  /** Adds a handler for an action_id (exact string, or a pattern), like `app.action(actionId, handler)`. */
  on<A extends BlockAction>(actionId: ActionId, handle: (args: ActionArgs<A>) => Promise<void>): this {
    this.routes.push({ actionId, handle: handle as Route['handle'] });
    return this;
  }

  /** The handler for this action_id: the first route added that matches it. */
  private find(actionId: string): Route['handle'] | undefined {
    return this.routes.find((route) => matches(route.actionId, actionId))?.handle;
  }

  /**
   * One Bolt listener for every block action. An action id no route knows (a button of an older version, a
   * hand-made payload) is acknowledged at once and ignored: unacknowledged, Bolt would answer 404 after 3 s.
   */
  register(app: App): void {
    app.action<BlockAction>({ type: 'block_actions' }, async (args) => {
      const handle = this.find(args.action.action_id);
      if (handle) await handle(args);
      else await args.ack();
    });
  }
}
