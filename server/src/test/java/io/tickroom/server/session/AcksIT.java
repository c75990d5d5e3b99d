package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AcksIT {

    @Test
    void everyOneOfAThousandConcurrentRequestsGetsExactlyOneAnswer() throws Exception {
        try (TestNode node = TestNode.start()) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                clients.add(node.connect("user" + i));
            }
            String lobbyId = clients.get(0)
                    .request(Req.create("acks", 10, false))
                    .getLobbyState()
                    .getLobbyId();
            for (int i = 1; i < 10; i++) {
                clients.get(i).request(Req.join(lobbyId));
            }
            List<CompletableFuture<ServerFrame>> all = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                for (TestClient c : clients) {
                    ClientFrame.Builder req = switch (round % 5) {
                        case 0 -> Req.ping();
                        case 1 -> Req.list("arena");
                        case 2 -> Req.chat(lobbyId, "line " + round); // some will be RATE_LIMITED: still one answer
                        case 3 -> Req.create("", 4, false); // INVALID_ARGUMENT
                        default -> Req.ready(lobbyId, round % 2 == 0);
                    };
                    all.add(c.requestAsync(req));
                }
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(1000, all.size());
            for (TestClient c : clients) {
                // a second answer to any id would have found no pending future and been filed here
                assertTrue(c.request(Req.ping()).hasPong());
                assertEquals(List.of(), c.unmatchedReplies());
            }
            for (TestClient c : clients) {
                c.close();
            }
            node.awaitZeroCounts();
        }
    }
}
