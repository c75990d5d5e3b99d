package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Sequences;
import io.tickroom.server.cluster.SequencesContract;

class MemorySequencesTest extends SequencesContract {
    @Override
    protected Sequences sequences() {
        return new MemorySequences();
    }
}
