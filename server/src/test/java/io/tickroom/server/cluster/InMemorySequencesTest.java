package io.tickroom.server.cluster;

class InMemorySequencesTest extends SequencesContract {
    @Override
    Sequences sequences() {
        return new InMemorySequences();
    }
}
