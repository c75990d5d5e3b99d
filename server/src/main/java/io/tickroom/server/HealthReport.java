package io.tickroom.server;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * What {@code GET /health} answers, as JSON with snake_case names ({@link #toJson}); a field that
 * is null is left out. The status and the live counts (so a soak can watch them return to zero),
 * this build's version, the node id, the cluster mode ({@code single-node} or {@code redis}),
 * whether Redis answered the node's last look ({@code redis_reachable}, clustered only), whether
 * the bus delivers to this node ({@code bus_up}; single node always), whether the node drains,
 * and the heap used after the last GC ({@code heap_after_gc_bytes}, absent until a GC ran).
 * Built per request on a Jetty thread from values already in memory: nothing here waits on Redis.
 */
public record HealthReport(
        String node,
        String status,
        String version,
        String clusterMode,
        Boolean redisReachable,
        boolean busUp,
        boolean draining,
        int sessions,
        int users,
        int rooms,
        int roomMemberships,
        int lobbies,
        int lobbyMembers,
        int streams,
        int matches,
        int seatedUsers,
        int seatedSessions,
        int scheduledMatches,
        int queued,
        int lobbyCache,
        int clusterCalls,
        int heldSeats,
        int resumeRecords,
        Long heapAfterGcBytes) {

    private static final Gson JSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .disableHtmlEscaping()
            .create();

    static HealthReport of(
            String nodeId,
            String status,
            boolean clustered,
            Boolean redisReachable,
            boolean busUp,
            boolean draining,
            TickroomNode.Counts c) {
        return new HealthReport(
                nodeId,
                status,
                Version.NUMBER,
                clustered ? "redis" : "single-node",
                redisReachable,
                busUp,
                draining,
                c.sessions(),
                c.users(),
                c.rooms(),
                c.roomMemberships(),
                c.lobbies(),
                c.lobbyMembers(),
                c.streams(),
                c.matches(),
                c.seatedUsers(),
                c.seatedSessions(),
                c.scheduledMatches(),
                c.queued(),
                c.lobbyCache(),
                c.clusterCalls(),
                c.heldSeats(),
                c.resumeRecords(),
                heapAfterGc());
    }

    public String toJson() {
        return JSON.toJson(this);
    }

    /** The sum of the heap pools' usage after their last collection; null while no collector has run. */
    static Long heapAfterGc() {
        long collections = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
        }
        if (collections == 0) {
            return null;
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}
