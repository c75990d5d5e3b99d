package io.tickroom.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket that sends and reads raw frames, control frames included,
 * so a test sees exactly what goes over the wire (pings and pongs, close codes).
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One frame as it came. */
    public record Frame(int opcode, byte[] payload) {
        /** The close code of a close frame (0 when it has none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 0;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    public RawWebSocket(int port, String token) throws IOException {
        this(port, token, 0);
    }

    /** With a receive buffer of {@code receiveBufferBytes} (0: the system's), set before connecting. */
    public RawWebSocket(int port, String token, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write(("GET /ws/play HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String status = head.toString(StandardCharsets.US_ASCII);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }

    /** Sends one masked frame (clients must mask). */
    public synchronized void send(int opcode, byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("keep test frames small");
        }
        byte[] mask = {0x37, 0x11, 0x5a, 0x02};
        byte[] f = new byte[6 + payload.length];
        f[0] = (byte) (0x80 | opcode);
        f[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(f);
        out.flush();
    }

    /** Sends {@code count} masked frames of {@code opcode} in one write, payload i being byte i. */
    public synchronized void sendMany(int opcode, int count) throws IOException {
        byte[] mask = {0x37, 0x11, 0x5a, 0x02};
        byte[] all = new byte[count * 7];
        for (int i = 0; i < count; i++) {
            int at = i * 7;
            all[at] = (byte) (0x80 | opcode);
            all[at + 1] = (byte) (0x80 | 1);
            System.arraycopy(mask, 0, all, at + 2, 4);
            all[at + 6] = (byte) (i ^ mask[0]);
        }
        out.write(all);
        out.flush();
    }

    /**
     * Sends one masked frame of a message in fragments: {@code opcode} BINARY or TEXT for the
     * first, CONTINUATION (0) for the rest; {@code fin} on the last. Payloads up to 64 KiB.
     */
    public synchronized void sendFragment(int opcode, byte[] payload, boolean fin) throws IOException {
        if (payload.length > 0xffff) {
            throw new IllegalArgumentException("up to 64 KiB");
        }
        byte[] mask = {0x21, 0x4c, 0x08, 0x7f};
        int head = payload.length > 125 ? 4 : 2;
        byte[] f = new byte[head + 4 + payload.length];
        f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (head == 4) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (payload.length >> 8);
            f[3] = (byte) payload.length;
        } else {
            f[1] = (byte) (0x80 | payload.length);
        }
        System.arraycopy(mask, 0, f, head, 4);
        for (int i = 0; i < payload.length; i++) {
            f[head + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(f);
        out.flush();
    }

    /** Reads the next frame the server sent (unmasked, as servers send them). */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads until a frame of {@code opcode} arrives, skipping the others. */
    public Frame readUntil(int opcode) throws IOException {
        for (; ; ) {
            Frame f = read();
            if (f.opcode() == opcode) {
                return f;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
