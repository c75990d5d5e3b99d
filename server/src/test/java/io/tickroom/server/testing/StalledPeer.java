package io.tickroom.server.testing;

import io.tickroom.protocol.v1.ClientFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket peer on a plain socket that completes the handshake, can send frames, and never
 * reads another byte: the client that stops reading. Its receive buffer is kept small so the
 * server's writes back up quickly.
 */
public final class StalledPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;

    public StalledPeer(int port, String token) throws IOException {
        socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        out.write(("GET /ws/play HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] status = in.readNBytes(12);
        if (!new String(status, StandardCharsets.US_ASCII).contains("101")) {
            throw new IOException("upgrade refused: " + new String(status, StandardCharsets.US_ASCII));
        }
        // from here on nothing is read: the headers, the welcome and everything else pile up
    }

    /** Sends one masked binary frame (clients must mask). */
    public void send(ClientFrame frame) throws IOException {
        byte[] payload = frame.toByteArray();
        if (payload.length > 125) {
            throw new IllegalArgumentException("keep test frames small");
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        byte[] f = new byte[2 + 4 + payload.length];
        f[0] = (byte) 0x82;
        f[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(f);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
