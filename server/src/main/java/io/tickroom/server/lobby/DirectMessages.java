package io.tickroom.server.lobby;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.DirectMessage;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.tick.TimeSource;

/**
 * Direct messages: delivered to every session of the recipient (the user room), on the
 * recipient's user stream. A user with no session gets nothing stored: the sender is told
 * NOT_FOUND. Shares the chat rate limit.
 */
public final class DirectMessages {
    private final Streams streams;
    private final LimitsConfig limits;
    private final TimeSource time;

    public DirectMessages(Streams streams, LimitsConfig limits, TimeSource time) {
        this.streams = streams;
        this.limits = limits;
        this.time = time;
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.DIRECT_MESSAGE, this::send);
    }

    void send(Request r) {
        var m = r.frame().getDirectMessage();
        String to = Fields.id("to_user_id", m.getToUserId());
        String text = Fields.text("text", m.getText(), limits.maxChatChars());
        ClientSession s = r.session();
        if (!s.tryChat(time.nanoTime())) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "over " + limits.chatPerSecond() + " messages/s");
        }
        DirectMessage dm = DirectMessage.newBuilder()
                .setFromUserId(s.userId())
                .setFromName(s.principal().name())
                .setToUserId(to)
                .setText(text)
                .setSentAtMs(time.epochMillis())
                .build();
        if (streams.publish(RoomId.user(to), ServerFrame.newBuilder().setDirectMessage(dm)) == 0) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "user " + to + " is not online");
        }
        r.ok();
    }
}
