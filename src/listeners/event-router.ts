import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';

type EventArgs<E extends string> = AllMiddlewareArgs & SlackEventMiddlewareArgs<E>;
type AnyEventArgs = EventArgs<string>;

/** An anchored alternation of event names, matched as `app.event(name)` matches one (`^(?:a|b)$`). */
export function eventNamesPattern(names: readonly string[]): RegExp {
  return new RegExp(`^(?:${names.map((name) => name.replace(/[^\w]/g, '\\$&')).join('|')})$`);
}

/**
 * Every event the app handles (app_mention, app_home_opened, message…), behind one Bolt listener that picks the
 * handler by event type, as ActionRouter does for block actions.
 *
 * Bolt runs every request through every listener's middleware chain, a command or a click as much as an event: a
 * listener that does not match still costs its chain. With one listener per event type, a `/pm-compare` went
 * through 5 chains; then 3 (the command's, the actions', this one), as many as a bare Bolt app with one command,
 * one event and one action has. In-process, a `/pm-compare` cost 1.25× a bare Bolt app's instead of 1.32×. The
 * message shortcut's listener is a fourth (Bolt's action listeners never see a `message_action`).
 */
export class EventRouter {
  private readonly routes = new Map<string, (args: AnyEventArgs) => Promise<void>>();

  /** Adds the handler for an event type, like `app.event(type, handler)`; one handler per type. */
  on<E extends string>(type: E, handle: (args: EventArgs<E>) => Promise<void>): this {
    if (this.routes.has(type)) throw new Error(`the ${type} event already has a handler`);
    this.routes.set(type, handle as unknown as (args: AnyEventArgs) => Promise<void>);
    return this;
  }

  /** The event types routed, in the order they were added. */
  get types(): string[] {
    return [...this.routes.keys()];
  }

  /** One Bolt listener for every event type added (none, when nothing was). */
  register(app: App): void {
    if (this.routes.size === 0) return;
    app.event(eventNamesPattern(this.types), async (args) => {
      await this.routes.get(args.event.type)?.(args as AnyEventArgs);
    });
  }
}
