package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.LobbyList;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.cluster.memory.MemoryCluster;
import io.tickroom.server.session.Frames;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ListingCacheTest {
    final LobbyDirectory directory =
            MemoryCluster.create("n", 100, 16, 10, () -> 1_000L).directory();
    final ListingCache cache = new ListingCache();
    final AtomicInteger builds = new AtomicInteger();

    Supplier<LobbyList> build(String mode) {
        return () -> {
            builds.incrementAndGet();
            LobbyList.Builder b = LobbyList.newBuilder();
            directory
                    .list(mode, LobbyDirectory.Order.NEWEST, 0, 20)
                    .lobbies()
                    .forEach(l -> b.addLobbies(LobbyCodec.summary(l)));
            return b.build();
        };
    }

    @Test
    void identicalListingsShareOneEncodingUntilTheDirectoryChanges() throws Exception {
        directory.create(new NewLobby("one", "arena", 4, false), new Member("a", "A", false));
        ByteString first = cache.page(directory, "arena", LobbyDirectory.Order.NEWEST, 0, 20, build("arena"));
        for (int i = 0; i < 100; i++) {
            assertSame(first, cache.page(directory, "arena", LobbyDirectory.Order.NEWEST, 0, 20, build("arena")));
        }
        assertEquals(1, builds.get(), "built and encoded once for 101 listings");
        ByteString otherQuery = cache.page(directory, "arena", LobbyDirectory.Order.FILL, 0, 20, build("arena"));
        assertNotSame(first, otherQuery);
        assertEquals(2, builds.get(), "another query is another page");

        directory.create(new NewLobby("two", "arena", 4, false), new Member("b", "B", false));
        ByteString after = cache.page(directory, "arena", LobbyDirectory.Order.NEWEST, 0, 20, build("arena"));
        assertEquals(3, builds.get(), "a change makes a new page");
        assertEquals(2, LobbyList.parseFrom(after).getLobbiesCount());
    }

    @Test
    void aSharedPageBehindItsReplyToDecodesAsTheFrameTheBuilderWouldMake() throws Exception {
        directory.create(new NewLobby("one", "arena", 4, false), new Member("a", "A", false));
        LobbyList list = build("arena").get();
        ByteString encoded = cache.page(directory, "arena", LobbyDirectory.Order.NEWEST, 0, 20, () -> list);
        for (int replyTo : new int[] {1, 127, 128, 300_000, Integer.MAX_VALUE, -1}) {
            ServerFrame expected = ServerFrame.newBuilder()
                    .setReplyTo(replyTo)
                    .setLobbyList(list)
                    .build();
            assertEquals(
                    expected,
                    ServerFrame.parseFrom(Frames.answer(replyTo, ServerFrame.LOBBY_LIST_FIELD_NUMBER, encoded)));
            assertEquals(
                    expected.getSerializedSize(),
                    Frames.answer(replyTo, ServerFrame.LOBBY_LIST_FIELD_NUMBER, encoded)
                            .remaining());
        }
    }
}
