import { ErrorCode, ResumeFailedReason } from "./gen/tickroom/v1/tickroom_pb.js";

/** The server answered a request with `error { code, message }`. */
export class TickroomError extends Error {
  override readonly name = "TickroomError";
  constructor(
    /** The wire code; compare with `ErrorCode.NOT_FOUND` etc. */
    readonly code: ErrorCode,
    message: string,
    /** The request type that was refused (`"joinLobby"`). */
    readonly requestType: string,
    /** With `RESUME_FAILED`: why (`ResumeFailedReason.RESUME_EXPIRED` etc.); otherwise unspecified. */
    readonly resumeFailedReason: ResumeFailedReason = ResumeFailedReason.RESUME_FAILED_REASON_UNSPECIFIED,
  ) {
    super(`${ErrorCode[code] ?? code}: ${message}`);
  }

  /** The code's name (`"NOT_FOUND"`). */
  get codeName(): string {
    return ErrorCode[this.code] ?? String(this.code);
  }

  /** The server's message without the code prefix. */
  get serverMessage(): string {
    return this.message.slice(this.message.indexOf(": ") + 2);
  }
}

/** No answer within the request timeout (time spent queued while disconnected counts). */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
}

/**
 * The request was sent but not answered when the connection dropped and the session could not
 * be resumed (or the client was closed): the server may or may not have applied it.
 */
export class ConnectionLostError extends Error {
  override readonly name = "ConnectionLostError";
}

/** Disconnected and the send queue is full (policy: reject newest). */
export class QueueFullError extends Error {
  override readonly name = "QueueFullError";
}

/** The server answered with a frame this request never gets (a bug on one side). */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
}
