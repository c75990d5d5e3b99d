package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageBus} must do for the node it runs on (what {@code Streams} and
 * {@code NodeCalls} rely on); run against memory and Redis. Deliveries are awaited: Redis hands
 * them over on its subscriber thread.
 */
public abstract class MessageBusContract extends PortContract {

    protected record Delivered(String stream, long seq, String body) {}

    private final BlockingQueue<Delivered> delivered = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> controls = new LinkedBlockingQueue<>();

    /** A connected bus of {@link #NODE} whose deliveries and control messages this test collects. */
    protected MessageBus bus(Cluster c) {
        MessageBus bus = c.bus();
        bus.onDelivery((stream, seq, body) -> delivered.add(new Delivered(stream, seq, text(body))));
        bus.onNodeMessage(m -> controls.add(text(m)));
        assertTrue(bus.awaitUp(10_000), "the bus comes up");
        return bus;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected Delivered next() throws InterruptedException {
        Delivered d = delivered.poll(10, TimeUnit.SECONDS);
        assertNotNull(d, "a delivery within 10 s");
        return d;
    }

    @Test
    void deliversAListenedStreamToThisNodeInPublishOrderNumberedFromOne() throws Exception {
        MessageBus bus = bus(cluster());
        bus.listen("lobby:a");
        assertTrue(bus.publish("lobby:a", -1, bytes("one")) >= 1, "this node listens");
        bus.publish("lobby:a", -1, bytes("two"));
        bus.publish("lobby:a", -1, bytes("three"));
        assertEquals(new Delivered("lobby:a", 1, "one"), next());
        assertEquals(new Delivered("lobby:a", 2, "two"), next());
        assertEquals(new Delivered("lobby:a", 3, "three"), next());
    }

    @Test
    void aStreamNobodyListensToGetsNothingAndNumbersNothing() throws Exception {
        Cluster c = cluster();
        MessageBus bus = bus(c);
        assertEquals(0, bus.publish("user:nobody", -1, bytes("lost")));
        bus.listen("user:gone");
        bus.unlisten("user:gone");
        assertEquals(0, bus.publish("user:gone", -1, bytes("lost too")));
        assertEquals(0, c.sequences().current("user:nobody"));
        assertEquals(0, c.sequences().current("user:gone"));
        bus.listen("user:here");
        bus.publish("user:here", -1, bytes("marker"));
        assertEquals(new Delivered("user:here", 1, "marker"), next(), "nothing came before the marker");
    }

    @Test
    void dropsALobbyStateNoNewerThanTheLastOnePublished() throws Exception {
        MessageBus bus = bus(cluster());
        bus.listen("lobby:v");
        bus.publish("lobby:v", 2, bytes("v2"));
        assertTrue(bus.publish("lobby:v", 2, bytes("v2 again")) >= 1, "still counts the listeners");
        bus.publish("lobby:v", 1, bytes("v1 late"));
        bus.publish("lobby:v", -1, bytes("chat"));
        bus.publish("lobby:v", 3, bytes("v3"));
        assertEquals(new Delivered("lobby:v", 1, "v2"), next());
        assertEquals(new Delivered("lobby:v", 2, "chat"), next(), "stale states take no number");
        assertEquals(new Delivered("lobby:v", 3, "v3"), next());
    }

    @Test
    void numbersGoOnAboveARaisedSeqAndNeverBack() throws Exception {
        MessageBus bus = bus(cluster());
        bus.listen("lobby:r");
        bus.raise("lobby:r", 10);
        bus.raise("lobby:r", 4);
        bus.publish("lobby:r", -1, bytes("after the raise"));
        assertEquals(new Delivered("lobby:r", 11, "after the raise"), next());
    }

    @Test
    void countsEachListenedStreamOnce() {
        MessageBus bus = bus(cluster());
        assertEquals(0, bus.listening());
        bus.listen("lobby:a");
        bus.listen("lobby:a");
        bus.listen("user:b");
        assertEquals(2, bus.listening());
        bus.unlisten("lobby:a");
        bus.unlisten("lobby:a");
        assertEquals(1, bus.listening());
        bus.unlisten("user:b");
        assertEquals(0, bus.listening());
    }

    @Test
    void isUpOnceConnected() {
        MessageBus bus = bus(cluster());
        assertTrue(bus.isUp());
    }

    @Test
    void aControlMessageReachesTheNodeItIsSentToAndNoOther() throws Exception {
        MessageBus bus = bus(cluster());
        bus.sendToNode("node-nobody", bytes("for nobody"));
        bus.sendToNode(NODE, bytes("for me"));
        assertEquals("for me", controls.poll(10, TimeUnit.SECONDS));
        assertNull(controls.poll(0, TimeUnit.SECONDS), "the message to an unknown node went nowhere");
    }

    @Test
    void concurrentPublishersGetOneOrderWithoutGapsOrRepeats() throws Exception {
        MessageBus bus = bus(cluster());
        bus.listen("lobby:busy");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            fs.add(pool.submit(() -> bus.publish("lobby:busy", -1, bytes("m" + n))));
        }
        for (Future<?> f : fs) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> bodies = new ArrayList<>();
        for (long seq = 1; seq <= 200; seq++) {
            Delivered d = next();
            assertEquals(seq, d.seq(), "delivered in seq order");
            bodies.add(d.body());
        }
        assertEquals(200, bodies.stream().distinct().count(), "every push once");
        assertArrayEquals(new Object[0], delivered.toArray(), "and nothing more");
    }
}
