import { create } from "@bufbuild/protobuf";
import type { TickroomClient } from "./client.js";
import {
  LobbyMemberSchema,
  LobbyStateSchema,
  type LobbyDelta,
  type LobbyState,
} from "./gen/tickroom/v1/tickroom_pb.js";

/**
 * One lobby as its pushes describe it: the whole `lobbyState` (every change of a small lobby;
 * create, join, update and `getLobby` answers) and `lobbyDelta` (member changes of a lobby over
 * 16 members, coalesced), applied by the protocol's rule. When a delta does not follow on from
 * the version held (two nodes changed the lobby at once and their pushes crossed) the view asks
 * `getLobby` and takes its answer. `onChange` sees each new state.
 *
 * ```ts
 * const view = new LobbyView(client, await client.request("joinLobby", { lobbyId }));
 * view.onChange = (s) => render(s.members);
 * ```
 */
export class LobbyView {
  state: LobbyState;
  onChange: ((state: LobbyState) => void) | null = null;
  /** Deltas that did not follow on (each led to one `getLobby`). */
  gaps = 0;
  private refreshing = false;
  private readonly offState: () => void;
  private readonly offDelta: () => void;

  constructor(
    private readonly client: TickroomClient,
    initial: LobbyState,
  ) {
    this.state = initial;
    const onState = (s: LobbyState) => this.offer(s);
    const onDelta = (d: LobbyDelta) => this.apply(d);
    client.on("lobbyState", onState);
    client.on("lobbyDelta", onDelta);
    this.offState = () => client.off("lobbyState", onState);
    this.offDelta = () => client.off("lobbyDelta", onDelta);
  }

  /** Stops following the pushes. */
  close(): void {
    this.offState();
    this.offDelta();
  }

  private offer(s: LobbyState): void {
    if (s.lobbyId !== this.state.lobbyId || s.version <= this.state.version) return;
    this.state = s;
    this.onChange?.(s);
  }

  private apply(d: LobbyDelta): void {
    if (d.lobbyId !== this.state.lobbyId || d.version <= this.state.version) return;
    if (d.fromVersion > this.state.version) {
      this.refresh();
      return;
    }
    this.state = applyLobbyDelta(this.state, d);
    this.onChange?.(this.state);
  }

  private refresh(): void {
    this.gaps++;
    if (this.refreshing) return;
    this.refreshing = true;
    this.client
      .request("getLobby", { lobbyId: this.state.lobbyId })
      .then((s) => this.offer(s))
      .catch(() => {})
      .finally(() => {
        this.refreshing = false;
      });
  }
}

/**
 * `state` with `delta` applied (the caller checked that `delta.fromVersion <= state.version <
 * delta.version`): the removed and the joined go, each changed member is replaced in place, the
 * joined are appended in order; the host and version are the delta's.
 */
export function applyLobbyDelta(state: LobbyState, delta: LobbyDelta): LobbyState {
  const drop = new Set([...delta.removed, ...delta.joined.map((j) => j.userId)]);
  const changed = new Map(delta.changed.map((c) => [c.userId, c]));
  const copy = (m: { userId: string; name: string; ready: boolean }) =>
    create(LobbyMemberSchema, { userId: m.userId, name: m.name, ready: m.ready });
  const members = state.members.filter((m) => !drop.has(m.userId)).map((m) => copy(changed.get(m.userId) ?? m));
  for (const j of delta.joined) members.push(copy(j));
  return create(LobbyStateSchema, { ...state, members, hostUserId: delta.hostUserId, version: delta.version });
}
