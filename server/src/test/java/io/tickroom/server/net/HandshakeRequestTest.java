package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The handshake's own query lookup: the first value of one parameter, decoded only when it must be. */
class HandshakeRequestTest {
    static String token(String query) {
        return HandshakeRequest.queryParameter(query, "access_token");
    }

    @Test
    void findsTheParameterWhereverItIsAndTakesTheFirst() {
        assertEquals("a.b.c", token("access_token=a.b.c"));
        assertEquals("a.b.c", token("resume=1&access_token=a.b.c&x=2"));
        assertEquals("first", token("access_token=first&access_token=second"));
        assertEquals("", token("access_token="));
        assertEquals("", token("access_token"));
    }

    @Test
    void decodesPercentEscapesAndPlusAsJettyDid() {
        assertEquals("a b+c/ü", token("access_token=a+b%2Bc%2F%C3%BC"));
    }

    @Test
    void aNameThatOnlyStartsOrEndsLikeItIsNotIt() {
        assertNull(token("xaccess_token=1"));
        assertNull(token("access_tokens=1"));
        assertNull(token("access=1&token=2"));
        assertNull(token(""));
        assertNull(token(null));
        assertEquals("2", token("access_tokens=1&access_token=2"));
    }

    @Test
    void aBrokenEscapeIsNoToken() {
        assertNull(token("access_token=%zz"));
        assertNull(token("access_token=abc%"));
    }

    @Test
    void aNameIsMatchedAsWrittenAndALongQueryOfBareNamesIsScannedOnce() {
        assertEquals("B", token("access%5Ftoken=A&access_token=B"));
        String bare = "a&".repeat(4_000) + "access_token=t";
        assertEquals("t", token(bare));
        assertNull(token("a&".repeat(4_000)));
    }

    @Test
    void resumeIsReadTheSameWay() {
        assertEquals("1", HandshakeRequest.queryParameter("access_token=t&resume=1", "resume"));
        assertNull(HandshakeRequest.queryParameter("access_token=t", "resume"));
    }
}
