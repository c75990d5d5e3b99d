package io.tickroom.server.lobby;

import io.tickroom.protocol.v1.LobbyDelta;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Streams;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * What a lobby's members are pushed when it changes. Up to {@link #DELTA_ABOVE_MEMBERS} members
 * every change pushes the whole {@code lobby_state}: simple clients, and the size of a game's
 * lobby. Above it a member change (join, leave, kick, ready) pushes a {@code lobby_delta} instead,
 * and the changes this node makes to one lobby within {@link #COALESCE_MS} go out as one push per
 * run of consecutive versions: filling a lounge of N then costs O(N) bytes per change and about
 * N × (fill time / 50 ms) frames in all, where whole states cost O(N²) frames and O(N³) bytes.
 *
 * <p>Consistency: a run covers versions {@code from..to} with no change of another node in between
 * (a change whose version does not follow the run's ends it and starts a new one), and holds each
 * touched member's state at {@code to}, so a client at any version in that range reaches exactly
 * the state at {@code to} (see the proto's rule). A client behind {@code from} asks for the whole
 * state. A whole-state push (update, restore, shrinking to the threshold) drops the pending run:
 * it already holds those changes.
 *
 * <p>Threads: {@link #memberChanged} and {@link #state} run under the caller's lock of the lobby
 * (the {@code lock} given here is that lock's owner); the flush runs on this class's one timer
 * thread under the same lock, and may wait on Redis there, never on a lane. Bounded: at most
 * {@link #MAX_RUN_CHANGES} members per run (a fuller run is pushed at once), pending runs at most
 * one per lobby with local changes.
 */
final class LobbyPushes implements AutoCloseable {
    /** Lobbies with more members than this get deltas. */
    static final int DELTA_ABOVE_MEMBERS = 16;
    /** How long a delta run gathers changes before it is pushed. */
    static final long COALESCE_MS = 50;
    /** Touched members in one run past which it is pushed at once. */
    static final int MAX_RUN_CHANGES = 512;

    /** The lock the lobby's changes are made under, so the flush is ordered with them. */
    interface Locks {
        Object of(String lobbyId);
    }

    /** Where pushes go: the lobby's stream ({@link Streams#publish}). */
    interface Publisher {
        void publish(RoomId stream, ServerFrame.Builder frame);
    }

    /** Runs a task later, on a thread that may wait on Redis; refuses once the node stops. */
    interface Timer extends AutoCloseable {
        void after(long ms, Runnable task) throws RejectedExecutionException;

        @Override
        void close();

        /** One daemon thread of {@code factory}. */
        static Timer of(ThreadFactory factory) {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(factory);
            return new Timer() {
                @Override
                public void after(long ms, Runnable task) {
                    s.schedule(task, ms, TimeUnit.MILLISECONDS);
                }

                @Override
                public void close() {
                    s.shutdownNow();
                }
            };
        }
    }

    private final Publisher streams;
    private final Locks locks;
    private final Timer timer;
    /** Runs not yet pushed, by lobby id; guarded by the lobby's lock. */
    private final Map<String, Run> pending = new java.util.concurrent.ConcurrentHashMap<>();

    LobbyPushes(Publisher streams, Locks locks, Timer timer) {
        this.streams = streams;
        this.locks = locks;
        this.timer = timer;
    }

    /** The whole state goes out (create, update, restore, or a small lobby's change); under the lobby's lock. */
    void state(Lobby lobby) {
        pending.remove(lobby.id());
        streams.publish(RoomId.lobby(lobby.id()), ServerFrame.newBuilder().setLobbyState(LobbyCodec.state(lobby)));
    }

    /**
     * Member {@code userId} joined ({@code joined}), left, was kicked or changed readiness, and {@code after} is the
     * lobby after that one change (the change moved it from {@code after.version() - 1}); under
     * the lobby's lock.
     */
    void memberChanged(Lobby after, String userId, boolean joined) {
        if (after.members().size() <= DELTA_ABOVE_MEMBERS) {
            state(after);
            return;
        }
        Run run = pending.get(after.id());
        if (run != null && run.to != after.version() - 1) {
            push(after.id(), pending.remove(after.id())); // another node changed it in between
            run = null;
        }
        if (run == null) {
            run = new Run(after.version() - 1);
            pending.put(after.id(), run);
            schedule(after.id(), run);
        }
        run.add(after, userId, joined);
        if (run.touched() >= MAX_RUN_CHANGES) {
            push(after.id(), pending.remove(after.id()));
        }
    }

    /** The lobby is gone: its pending run with it; under the lobby's lock. */
    void forget(String lobbyId) {
        pending.remove(lobbyId);
    }

    /** Pending runs, for tests and the leak check. */
    int pendingRuns() {
        return pending.size();
    }

    private void schedule(String lobbyId, Run run) {
        try {
            timer.after(COALESCE_MS, () -> flush(lobbyId, run));
        } catch (RejectedExecutionException closing) {
            push(lobbyId, pending.remove(lobbyId)); // the node stops: push it now
        }
    }

    private void flush(String lobbyId, Run run) {
        synchronized (locks.of(lobbyId)) {
            if (pending.remove(lobbyId, run)) {
                push(lobbyId, run);
            }
        }
    }

    private void push(String lobbyId, Run run) {
        if (run == null || run.touched() == 0) {
            return;
        }
        LobbyDelta.Builder d = LobbyDelta.newBuilder()
                .setLobbyId(lobbyId)
                .setFromVersion(run.from)
                .setVersion(run.to)
                .setHostUserId(run.host)
                .addAllRemoved(run.removed);
        run.joined.values().forEach(m -> d.addJoined(LobbyCodec.wire(m)));
        run.changed.values().forEach(m -> d.addChanged(LobbyCodec.wire(m)));
        streams.publish(RoomId.lobby(lobbyId), ServerFrame.newBuilder().setLobbyDelta(d));
    }

    @Override
    public void close() {
        timer.close();
    }

    /** Consecutive changes of one lobby made here, with each touched member's latest state. */
    private static final class Run {
        final long from;
        long to;
        String host = "";
        /** Members whose latest join is in the run, in that order, as they are at {@code to}. */
        final LinkedHashMap<String, Member> joined = new LinkedHashMap<>();
        /** Members since before the run whose state changed, as they are at {@code to}. */
        final LinkedHashMap<String, Member> changed = new LinkedHashMap<>();
        /** Users not members at {@code to} that were at some point of the run. */
        final Set<String> removed = new LinkedHashSet<>();

        Run(long from) {
            this.from = from;
            this.to = from;
        }

        int touched() {
            return joined.size() + changed.size() + removed.size();
        }

        void add(Lobby after, String userId, boolean join) {
            Member now = null;
            java.util.List<Member> members = after.members();
            for (int i = members.size() - 1; i >= 0; i--) { // a join appends: the joiner is found first
                if (members.get(i).userId().equals(userId)) {
                    now = members.get(i);
                    break;
                }
            }
            if (now == null) {
                joined.remove(userId);
                changed.remove(userId);
                removed.add(userId);
            } else if (join) {
                removed.remove(userId); // a client drops every joined member before appending it
                changed.remove(userId);
                joined.remove(userId); // its latest join is last
                joined.put(userId, now);
            } else if (joined.containsKey(userId)) {
                joined.put(userId, now); // keeps its place among the joined
            } else {
                changed.put(userId, now);
            }
            to = after.version();
            host = after.hostUserId();
        }
    }
}
