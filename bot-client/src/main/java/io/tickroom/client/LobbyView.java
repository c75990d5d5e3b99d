package io.tickroom.client;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.GetLobby;
import io.tickroom.protocol.v1.LobbyDelta;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.ServerFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One lobby as its pushes describe it: whole {@code lobby_state}s (every change of a small lobby,
 * and the answers to create, join, update and get_lobby) and {@code lobby_delta}s (member changes
 * of a lobby over 16 members, coalesced), applied by the protocol's rule. A delta that does not
 * follow on from the version held (two nodes changed the lobby at once and their pushes crossed)
 * makes the view ask {@code get_lobby} and take its answer.
 *
 * <pre>{@code
 * LobbyView view = LobbyView.follow(client, joined.getLobbyState(), s -> render(s));
 * }</pre>
 *
 * <p>Threads: pushes arrive on the client's thread; {@link #state} may be read from any thread.
 */
public final class LobbyView {
    private final TickroomClient client;
    private final Consumer<LobbyState> onChange;
    private volatile LobbyState state;
    private volatile long gaps;
    private boolean refreshing;

    private LobbyView(TickroomClient client, LobbyState initial, Consumer<LobbyState> onChange) {
        this.client = client;
        this.state = initial;
        this.onChange = onChange;
    }

    /** Follows {@code initial}'s lobby from its pushes on {@code client}; {@code onChange} sees each new state. */
    public static LobbyView follow(TickroomClient client, LobbyState initial, Consumer<LobbyState> onChange) {
        LobbyView v = new LobbyView(client, initial, onChange);
        client.on(ServerFrame.BodyCase.LOBBY_STATE, f -> v.offer(f.getLobbyState()));
        client.on(ServerFrame.BodyCase.LOBBY_DELTA, f -> v.apply(f.getLobbyDelta()));
        return v;
    }

    public LobbyState state() {
        return state;
    }

    /** Deltas that did not follow on (each asked for the whole state). */
    public long gaps() {
        return gaps;
    }

    private synchronized void offer(LobbyState s) {
        if (!s.getLobbyId().equals(state.getLobbyId()) || s.getVersion() <= state.getVersion()) {
            return;
        }
        state = s;
        onChange.accept(s);
    }

    private synchronized void apply(LobbyDelta d) {
        if (!d.getLobbyId().equals(state.getLobbyId()) || d.getVersion() <= state.getVersion()) {
            return;
        }
        if (d.getFromVersion() > state.getVersion()) {
            gaps++;
            refresh();
            return;
        }
        state = apply(state, d);
        onChange.accept(state);
    }

    private void refresh() {
        if (refreshing) {
            return;
        }
        refreshing = true;
        client.request(ClientFrame.newBuilder()
                        .setGetLobby(GetLobby.newBuilder().setLobbyId(state.getLobbyId())))
                .whenComplete((f, err) -> {
                    synchronized (this) {
                        refreshing = false;
                    }
                    if (f != null && f.hasLobbyState()) {
                        offer(f.getLobbyState());
                    }
                });
    }

    /**
     * {@code s} with {@code d} applied (the caller checked {@code d.from_version <= s.version <
     * d.version}): the removed and the joined go, each changed member is replaced in place, the
     * joined are appended in order; host and version are the delta's.
     */
    public static LobbyState apply(LobbyState s, LobbyDelta d) {
        Set<String> drop = new HashSet<>(d.getRemovedList());
        for (LobbyMember j : d.getJoinedList()) {
            drop.add(j.getUserId());
        }
        Map<String, LobbyMember> changed = new HashMap<>();
        for (LobbyMember c : d.getChangedList()) {
            changed.put(c.getUserId(), c);
        }
        List<LobbyMember> members = new ArrayList<>(s.getMembersCount() + d.getJoinedCount());
        for (LobbyMember m : s.getMembersList()) {
            if (!drop.contains(m.getUserId())) {
                members.add(changed.getOrDefault(m.getUserId(), m));
            }
        }
        members.addAll(d.getJoinedList());
        return s.toBuilder()
                .clearMembers()
                .addAllMembers(members)
                .setHostUserId(d.getHostUserId())
                .setVersion(d.getVersion())
                .build();
    }
}
