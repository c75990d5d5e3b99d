package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.internal.v1.ControlMessage;
import io.tickroom.protocol.internal.v1.MembershipChange;
import io.tickroom.protocol.internal.v1.MembershipChanged;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket-free: two nodes' calls over a bus that hands each control message to the other node at
 * once. Calls, answers and membership changes cross as {@code tickroom.internal.v1} messages.
 */
@Timeout(30)
class NodeCallsTest {
    /** The control channels of a few nodes, in one process; streams are not used here. */
    static final class Channels {
        final Map<String, Consumer<byte[]>> nodes = new ConcurrentHashMap<>();
        final List<byte[]> sent = new CopyOnWriteArrayList<>();

        MessageBus bus(String nodeId) {
            return new MessageBus() {
                @Override
                public long publish(String stream, long version, byte[] body) {
                    return 0;
                }

                @Override
                public void raise(String stream, long seq) {}

                @Override
                public void onReconnect(Runnable action) {}

                @Override
                public void listen(String stream) {}

                @Override
                public void unlisten(String stream) {}

                @Override
                public void onDelivery(Delivery handler) {}

                @Override
                public int listening() {
                    return 0;
                }

                @Override
                public boolean isUp() {
                    return true;
                }

                @Override
                public boolean awaitUp(long timeoutMs) {
                    return true;
                }

                @Override
                public void sendToNode(String to, byte[] message) {
                    sent.add(message);
                    Consumer<byte[]> h = nodes.get(to);
                    if (h != null) {
                        h.accept(message);
                    }
                }

                @Override
                public void onNodeMessage(Consumer<byte[]> handler) {
                    nodes.put(nodeId, handler);
                }

                @Override
                public void close() {}
            };
        }
    }

    final Channels channels = new Channels();
    final NodeCalls a = new NodeCalls(
            "a", channels.bus("a"), () -> List.of("a", "b"), io.tickroom.server.thread.NodeThreads.logging("a"));
    final NodeCalls b = new NodeCalls(
            "b", channels.bus("b"), () -> List.of("a", "b"), io.tickroom.server.thread.NodeThreads.logging("b"));

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCallToEveryNodeGathersEachAnswerAndEveryMessageIsAControlMessage() throws Exception {
        a.serve("echo", q -> utf8("a:" + new String(q, StandardCharsets.UTF_8)));
        b.serve("echo", q -> utf8("b:" + new String(q, StandardCharsets.UTF_8)));
        NodeCalls.Gathered g = a.askAll("echo", utf8("hi"), 2_000).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), g.missing());
        assertArrayEquals(utf8("a:hi"), g.answers().get("a"), "this node answers in the process");
        assertArrayEquals(utf8("b:hi"), g.answers().get("b"));
        assertEquals(2, channels.sent.size(), "the call to b and b's answer");
        assertEquals(
                ControlMessage.BodyCase.CALL,
                ControlMessage.parseFrom(channels.sent.get(0)).getBodyCase());
        assertEquals(
                "echo", ControlMessage.parseFrom(channels.sent.get(0)).getCall().getKind());
        assertEquals(
                ControlMessage.BodyCase.ANSWER,
                ControlMessage.parseFrom(channels.sent.get(1)).getBodyCase());
        assertEquals(0, a.pending());
    }

    @Test
    void anAnswerThatComesLaterIsSentFromTheCallsThreadNotTheOneThatCompletedIt() throws Exception {
        CompletableFuture<byte[]> later = new CompletableFuture<>();
        b.serveLater("slow", q -> later);
        CompletableFuture<byte[]> answer = a.askOne("b", "slow", new byte[0], 5_000);
        Thread completer = new Thread(() -> later.complete(utf8("done")), "a-tick-thread");
        List<String> sentOn = new CopyOnWriteArrayList<>();
        Consumer<byte[]> toA = channels.nodes.get("a");
        channels.nodes.put("a", m -> {
            sentOn.add(Thread.currentThread().getName()); // before a sees it: the answer wakes the test
            toA.accept(m);
        });
        completer.start();
        assertArrayEquals(utf8("done"), answer.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("tickroom-calls-b"), sentOn);
    }

    @Test
    void aNodeThatDoesNotAnswerIsNamedMissingByTheDeadline() throws Exception {
        a.serve("echo", q -> q);
        NodeCalls.Gathered g = a.askAll("echo", utf8("x"), 200).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("b"), g.missing(), "b serves no echo: no answer");
    }

    @Test
    void membershipChangesGoToEveryOtherNodeAndAMalformedMessageIsIgnored() throws Exception {
        List<MembershipChanged> atA = new CopyOnWriteArrayList<>();
        List<MembershipChanged> atB = new CopyOnWriteArrayList<>();
        a.onMembership(atA::add);
        b.onMembership(atB::add);
        MembershipChanged m = MembershipChanged.newBuilder()
                .setUserId("alice")
                .setFromNode("a")
                .setVersion(3)
                .setChange(MembershipChange.MEMBERSHIP_JOINED)
                .build();
        a.announce(List.of(m));
        assertEquals(List.of(m), atB);
        assertEquals(List.of(), atA, "not to itself");
        channels.nodes.get("b").accept(utf8("Q|kick|1|a\n")); // the old text format: not a control message
        assertTrue(atB.size() == 1 && b.pending() == 0);
    }
}
