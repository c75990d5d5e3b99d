package io.tickroom.client.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The "Connecting a client" section shows the two minimal clients verbatim: the files the tests
 * run ({@link MinimalClientIT}, {@code examples.test.mjs}), not copies that drift from them.
 */
class ReadmeExamplesTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theConnectingSectionShowsBothMinimalClientsAsTheyAreTested() throws IOException {
        List<Path> docs;
        try (Stream<Path> md = Files.list(REPO)) {
            docs = md.filter(p -> p.toString().endsWith(".md"))
                    .filter(ReadmeExamplesTest::hasSection)
                    .toList();
        }
        assertFalse(docs.isEmpty(), "no *.md at " + REPO + " has a \"## Connecting a client\" section");
        String ts = Files.readString(REPO.resolve("bot-client/ts/examples/minimal-client.mjs"));
        String java = Files.readString(
                REPO.resolve("bot-client/src/main/java/io/tickroom/client/examples/MinimalClient.java"));
        for (Path doc : docs) {
            String text = Files.readString(doc);
            assertTrue(text.contains("```js\n" + ts + "```\n"), doc + " does not show minimal-client.mjs as it is");
            assertTrue(text.contains("```java\n" + java + "```\n"), doc + " does not show MinimalClient.java as it is");
        }
    }

    private static boolean hasSection(Path doc) {
        try {
            String text = Files.readString(doc);
            return text.startsWith("## Connecting a client\n") || text.contains("\n## Connecting a client\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
