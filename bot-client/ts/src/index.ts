/**
 * `@tickroom/client`: a Tickroom client for browsers and Node 20.
 *
 * ```ts
 * const client = new TickroomClient({ url: "ws://127.0.0.1:8080/ws/play", token });
 * await client.connect();
 * const lobby = await client.request("createLobby", { name: "friday", mode: "arena", maxPlayers: 4 });
 * client.on("chat", (m) => console.log(m.fromName, m.text));
 * ```
 */
export { TickroomClient, MatchLink, ANSWERS, sameNode } from "./client.js";
export type {
  Answer,
  ClientOptions,
  ConnectionListener,
  FrameType,
  FrameValue,
  RequestInit,
  RequestType,
  ResumeState,
  SocketFactory,
  SocketLike,
} from "./client.js";
export { Backoff } from "./backoff.js";
export { LobbyView, applyLobbyDelta } from "./lobby.js";
export { systemClock, type Clock } from "./clock.js";
export { ConnectionLostError, ProtocolError, QueueFullError, RequestTimeoutError, TickroomError } from "./errors.js";
export * from "./gen/tickroom/v1/tickroom_pb.js";
export * from "./gen/tickroom/v1/arena_pb.js";
export { create, fromBinary, toBinary } from "@bufbuild/protobuf";
