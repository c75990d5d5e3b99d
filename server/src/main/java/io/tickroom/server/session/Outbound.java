package io.tickroom.server.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One session's bounded outbound path.
 *
 * <p>Frames arrive already encoded, as read-only buffers shared by every recipient of a
 * broadcast, and the sink gets that same buffer (it must not move its position: {@link
 * FrameSink#send}), so per-recipient work is a queue append and no allocation. Policies, by name:
 * <ul>
 *   <li><b>close session</b>: more than {@code maxQueuedFrames} frames waiting, or more than
 *       {@code maxQueuedBytes} bytes waiting and in flight together, closes the session with 1008
 *       "slow consumer" and drops the queue, so a client that stops reading costs at most that
 *       many bytes (one frame bigger than the whole budget is still taken when nothing else is
 *       held, so that no answer is too big to send at all);</li>
 *   <li><b>bounded in flight</b>: at most {@code maxInFlight} frames are handed to the sink at once;</li>
 *   <li><b>write timeout</b>: {@link #stalledForNs} tells the housekeeper how long the oldest
 *       in-flight write has waited; past the configured timeout it drops the session;</li>
 *   <li><b>keep latest</b>: volatile frames (match snapshots) offered with a key replace the
 *       frame of that key still waiting in the queue, so a slow reader gets the newest snapshot,
 *       never a backlog; a few reusable slots per session, no allocation per offer;</li>
 *   <li><b>close after flush</b>: a close asked for with {@link #closeAfterFlush} goes out after
 *       every frame queued before it (a goodbye is never overtaken by its close).</li>
 * </ul>
 * Thread-safe: any thread may offer; completions arrive on Jetty threads.
 */
public final class Outbound {
    private final FrameSink sink;
    private final int maxQueuedFrames;
    private final int maxInFlight;
    private final long maxQueuedBytes;
    private final LongSupplier nanoClock;
    /** Bytes of the frames waiting in the queue and handed to the sink but not yet written. */
    private long bytesHeld;
    /** Sizes of the frames in flight, oldest first: the sink completes a session's writes in order. */
    private final int[] inFlightSizes;

    private int inFlightHead;
    /** One callback object for every write of this session: no allocation per send. */
    private final FrameSink.WriteCallback writtenCallback = this::written;

    private static final int LATEST_SLOTS = 4;
    /** Holds ByteBuffers (reliable) and Slots (volatile, one per key while queued). */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private Slot[] slots;
    private long coalesced;
    private int inFlight;
    private boolean pumping;
    /** Frames queue but are not written until {@link #release} (a session still being set up). */
    private boolean held;
    /** No more offers are taken (closing, closed, or overflowed). */
    private boolean sealed;
    /** Nothing more will be written at all. */
    private boolean dead;

    private int closeCode;
    private String closeReason;
    private long writesCompleted;
    private long completedAtLastCheck;
    private long progressAtNs;
    /** Whether {@link #stalledForNs} has looked at this queue before (guarded by this). */
    private boolean looked;

    private long overflowedAtNs;
    private long framesSent;
    private long bytesSent;
    /** Set while a resuming connection waits for its resume request: reliable frames queue tagged. */
    private volatile boolean tagging;

    private volatile long taggingSinceNs;
    /** After a resume: per stream, the highest seq the replay delivered (later duplicates dropped). */
    private volatile Map<String, Long> marks;

    /** A reliable frame held during a resume, with what identifies it. */
    private record Tagged(String stream, long seq, ByteBuffer frame) {}

    /** Bounded in frames only (socket-free tests and benchmarks). */
    public Outbound(FrameSink sink, int maxQueuedFrames, int maxInFlight, LongSupplier nanoClock) {
        this(sink, maxQueuedFrames, Long.MAX_VALUE, maxInFlight, nanoClock);
    }

    public Outbound(FrameSink sink, int maxQueuedFrames, long maxQueuedBytes, int maxInFlight, LongSupplier nanoClock) {
        this.sink = sink;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxInFlight = maxInFlight;
        this.nanoClock = nanoClock;
        this.inFlightSizes = new int[maxInFlight];
    }

    /** Whether {@code size} more bytes would pass the byte budget (guarded by this). */
    private boolean overBudget(int size) {
        return bytesHeld > 0 && bytesHeld + size > maxQueuedBytes;
    }

    /** A frame goes from the queue (or straight from an offer) to the sink (guarded by this). */
    private void toFlight(int size) {
        inFlightSizes[(inFlightHead + inFlight) % inFlightSizes.length] = size;
        inFlight++;
        framesSent++;
        bytesSent += size;
    }

    /**
     * Queues one encoded frame. Returns false when the session is closing or closed, or was just
     * closed as a slow consumer; the caller need do nothing more either way.
     */
    public boolean offer(ByteBuffer frame) {
        boolean fast;
        synchronized (this) {
            if (sealed) {
                return false;
            }
            fast = takeDirect(frame.remaining());
        }
        if (!fast) {
            return enqueue(frame);
        }
        sink.send(frame, writtenCallback);
        return true;
    }

    /**
     * The fast path of {@link #offer} and {@link #offerLatest}: when nothing waits, nobody pumps
     * and a write may start, a frame of {@code size} bytes goes in flight at once (nothing older
     * can be overtaken, nothing is there to coalesce with) and the caller sends it outside the
     * lock; false when it must queue (guarded by this).
     */
    private boolean takeDirect(int size) {
        if (held || pumping || !queue.isEmpty() || inFlight >= maxInFlight || overBudget(size)) {
            return false;
        }
        bytesHeld += size;
        toFlight(size);
        return true;
    }

    private boolean enqueue(ByteBuffer frame) {
        synchronized (this) {
            if (sealed) {
                return false;
            }
            if (queue.size() >= maxQueuedFrames || overBudget(frame.remaining())) {
                overflow();
            } else {
                queue.addLast(frame);
                bytesHeld += frame.remaining();
                if (pumping || inFlight >= maxInFlight) {
                    return true;
                }
                frame = null;
            }
        }
        if (frame != null) {
            sink.close(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER);
            return false;
        }
        pump();
        return true;
    }

    /** Past a bound: take nothing more, drop the queue; the caller closes the sink (guarded by this). */
    private void overflow() {
        sealed = true;
        dead = true;
        overflowedAtNs = nanoClock.getAsLong();
        clearQueue();
    }

    /**
     * Queues a reliable push of {@code stream} numbered {@code seq}. After a resume, a push the
     * replay already delivered is dropped; while the session waits for its resume, pushes are held
     * with their stream and seq so the replay can take their place. Same return as {@link #offer}.
     */
    public boolean offerReliable(ByteBuffer frame, String stream, long seq) {
        Map<String, Long> m = marks;
        if (m != null) {
            Long mark = m.get(stream);
            if (mark != null && seq <= mark) {
                return true;
            }
        }
        if (tagging) {
            synchronized (this) {
                if (tagging && !sealed && queue.size() < maxQueuedFrames && !overBudget(frame.remaining())) {
                    queue.addLast(new Tagged(stream, seq, frame));
                    bytesHeld += frame.remaining();
                    return true;
                }
            }
        }
        return offer(frame);
    }

    /**
     * Holds everything offered from now on until {@link #resume} or {@link #release}: a
     * connection that announced a resume must not see live pushes before its replay.
     */
    public synchronized void holdForResume(long nowNs) {
        held = true;
        tagging = true;
        taggingSinceNs = nowNs;
    }

    /** Since when the session has held its pushes waiting for a resume (0: it is not). */
    public long heldForResumeSinceNs() {
        return tagging ? taggingSinceNs : 0;
    }

    /**
     * Completes a resume: {@code answer} goes first, then the replayed pushes in order, then what
     * was held, minus the reliable pushes the replay covers ({@code replayedUpTo}: per stream,
     * the last seq replayed); from then on pushes at or below those seqs are dropped. The replay
     * counts against the byte budget but is never refused by it: the next offer past the budget
     * closes a session that does not read its replay.
     */
    public void resume(ByteBuffer answer, List<ByteBuffer> replayed, Map<String, Long> replayedUpTo) {
        synchronized (this) {
            marks = Map.copyOf(replayedUpTo);
            queue.removeIf(o -> {
                boolean covered = o instanceof Tagged t
                        && replayedUpTo.containsKey(t.stream())
                        && t.seq() <= replayedUpTo.get(t.stream());
                if (covered) {
                    bytesHeld -= ((Tagged) o).frame().remaining();
                }
                return covered;
            });
            for (int i = replayed.size() - 1; i >= 0; i--) {
                queue.addFirst(replayed.get(i));
                bytesHeld += replayed.get(i).remaining();
            }
            queue.addFirst(answer);
            bytesHeld += answer.remaining();
            tagging = false;
            held = false;
        }
        pump();
    }

    /**
     * Queues a volatile frame under {@code key}: if a frame of that key is still waiting, it is
     * replaced (the newest wins) and the queue does not grow. Same return as {@link #offer}.
     */
    public boolean offerLatest(Object key, ByteBuffer frame) {
        Latest outcome;
        synchronized (this) {
            if (sealed) {
                return false;
            }
            outcome = takeDirect(frame.remaining()) ? Latest.DIRECT : queueLatest(key, frame);
        }
        switch (outcome) {
            case DIRECT -> sink.send(frame, writtenCallback);
            case OVERFLOWED -> {
                sink.close(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER);
                return false;
            }
            case NO_SLOT -> {
                // more volatile keys at once than slots, or a full queue: the plain policy applies
                return offer(frame);
            }
            case QUEUED_PUMP -> pump();
            case WAITING -> {}
        }
        return true;
    }

    /** What {@link #offerLatest} did with a frame that could not go at once. */
    private enum Latest {
        /** In flight now: the caller sends it. */
        DIRECT,
        /** Replaced a waiting frame of its key, or queued behind a write in progress. */
        WAITING,
        /** Queued, and nobody pumps: the caller pumps. */
        QUEUED_PUMP,
        /** The newest no longer fits the byte budget beside what waits: closed as a slow consumer. */
        OVERFLOWED,
        /** No free slot or a full queue: the plain policy decides. */
        NO_SLOT
    }

    /** The volatile frame into its key's slot: replaces a waiting one or takes a free slot (guarded by this). */
    private Latest queueLatest(Object key, ByteBuffer frame) {
        if (slots == null) {
            slots = new Slot[LATEST_SLOTS];
        }
        Slot free = null;
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s == null) {
                s = slots[i] = new Slot();
            }
            if (s.queued && s.key.equals(key)) {
                int growth = frame.remaining() - s.frame.remaining();
                if (growth > 0 && bytesHeld - s.frame.remaining() > 0 && bytesHeld + growth > maxQueuedBytes) {
                    overflow(); // the newest snapshot no longer fits beside what waits
                    return Latest.OVERFLOWED;
                }
                bytesHeld += growth;
                s.frame = frame;
                coalesced++;
                return Latest.WAITING;
            }
            if (!s.queued && free == null) {
                free = s;
            }
        }
        if (free == null || queue.size() >= maxQueuedFrames || overBudget(frame.remaining())) {
            return Latest.NO_SLOT;
        }
        free.key = key;
        free.frame = frame;
        free.queued = true;
        queue.addLast(free);
        bytesHeld += frame.remaining();
        return pumping || inFlight >= maxInFlight ? Latest.WAITING : Latest.QUEUED_PUMP;
    }

    /** Volatile frames replaced by a newer one before they were written. */
    public synchronized long coalescedFrames() {
        return coalesced;
    }

    private static final class Slot {
        Object key;
        ByteBuffer frame;
        boolean queued;
    }

    /**
     * Queues frames without writing them until {@link #release}: the welcome is queued first, and
     * the client sees it only once the session is fully registered (its rooms subscribed).
     */
    public synchronized void hold() {
        held = true;
    }

    /**
     * Drops what was queued while held and stops holding: a session whose open failed closes
     * without its welcome (a close asked for afterwards goes out at once).
     */
    public void discardHeld() {
        synchronized (this) {
            if (!held) {
                return;
            }
            clearQueue();
            held = false;
            tagging = false;
        }
        pump();
    }

    /** Starts writing what was queued while held. */
    public void release() {
        synchronized (this) {
            held = false;
            tagging = false;
        }
        pump();
    }

    /** Now, on the clock the queue was given (for stamping when a close was asked). */
    long nowNs() {
        return nanoClock.getAsLong();
    }

    /** Takes no more frames and closes once everything queued so far has been handed to the socket. */
    public void closeAfterFlush(int code, String reason) {
        synchronized (this) {
            if (sealed) {
                return;
            }
            sealed = true;
            closeCode = code;
            closeReason = reason;
        }
        pump();
    }

    private void pump() {
        for (; ; ) {
            ByteBuffer next;
            int code = 0;
            String reason = null;
            synchronized (this) {
                if (pumping || dead || held) {
                    return;
                }
                if (queue.isEmpty()) {
                    if (closeReason == null) {
                        return;
                    }
                    code = closeCode;
                    reason = closeReason;
                    closeReason = null;
                    dead = true;
                    next = null;
                } else {
                    if (inFlight >= maxInFlight) {
                        return;
                    }
                    Object head = queue.pollFirst();
                    if (head instanceof Slot slot) {
                        next = slot.frame;
                        slot.frame = null;
                        slot.queued = false;
                    } else if (head instanceof Tagged t) {
                        next = t.frame();
                    } else {
                        next = (ByteBuffer) head;
                    }
                    toFlight(next.remaining());
                }
                pumping = true;
            }
            try {
                if (next == null) {
                    sink.close(code, reason);
                    return;
                }
                sink.send(next, writtenCallback);
            } finally {
                synchronized (this) {
                    pumping = false;
                }
            }
        }
    }

    private void written(Throwable failure) {
        synchronized (this) {
            bytesHeld -= inFlightSizes[inFlightHead];
            inFlightHead = (inFlightHead + 1) % inFlightSizes.length;
            inFlight--;
            writesCompleted++;
            if (failure != null) {
                sealed = true;
                dead = true;
                clearQueue();
                return;
            }
            if (pumping || (queue.isEmpty() && closeReason == null)) {
                return;
            }
        }
        pump();
    }

    /** The socket is gone: take nothing more and free the queue. */
    public synchronized void shutdown() {
        sealed = true;
        dead = true;
        clearQueue();
    }

    private void clearQueue() {
        queue.clear();
        long flying = 0;
        for (int i = 0; i < inFlight; i++) {
            flying += inFlightSizes[(inFlightHead + i) % inFlightSizes.length];
        }
        bytesHeld = flying;
        if (slots != null) {
            for (Slot s : slots) {
                if (s != null) {
                    s.queued = false;
                    s.frame = null;
                }
            }
        }
    }

    /**
     * How long writes have been in flight without any completing, as seen by successive calls
     * (the housekeeper calls this every round): 0 while nothing is in flight or a write completed
     * since the last call. Progress is judged here instead of stamping every write with a clock
     * read, which would cost the hot path a {@code nanoTime} per frame.
     */
    public synchronized long stalledForNs(long nowNs) {
        // the first look counts as progress: before it there is nothing to compare with (a new
        // session's first write may well be in flight then; taking the clock's origin as its start
        // dropped healthy sessions as "stalled for 868 s")
        if (!looked || inFlight == 0 || writesCompleted != completedAtLastCheck) {
            looked = true;
            completedAtLastCheck = writesCompleted;
            progressAtNs = nowNs;
            return 0;
        }
        return nowNs - progressAtNs;
    }

    /** When the queue overflowed and closed the session as a slow consumer (0 if it did not). */
    public synchronized long overflowedAtNs() {
        return overflowedAtNs;
    }

    /** Frames handed to the sink and not yet completed. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** Writes the sink has completed (with or without failure), in all. */
    public synchronized long writesCompleted() {
        return writesCompleted;
    }

    public synchronized int queuedFrames() {
        return queue.size();
    }

    /** Bytes waiting in the queue plus bytes handed to the socket and not yet written. */
    public synchronized long heldBytes() {
        return bytesHeld;
    }

    public synchronized boolean isClosed() {
        return sealed;
    }

    public synchronized long framesSent() {
        return framesSent;
    }

    public synchronized long bytesSent() {
        return bytesSent;
    }
}
