package ecomap.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.FileUtils;
import org.neo4j.kernel.internal.Version;

import sun.misc.Signal;

/**
 * A real Neo4j Community server (the test harness, in process) for EcoMap's tests.
 *
 * <p>Usage: {@code Serve PORT DATA_DIR}, password in env NEO4J_PASSWORD. Prints exactly one line on
 * stdout, {@code NEO4J_URI=bolt://127.0.0.1:PORT}, once Bolt answers; everything else goes to stderr.
 * Stops on SIGTERM / SIGINT / SIGHUP or when stdin reaches EOF, then exits 0.
 */
public final class Serve {
    private static final String HOST = "127.0.0.1";
    private static final int MIN_PASSWORD = 8; // Neo4j's default dbms.security.auth_minimum_password_length
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final CountDownLatch STOP = new CountDownLatch(1);
    private static final AtomicReference<String> STOP_REASON = new AtomicReference<>();

    private Serve() {}

    public static void main(String[] args) throws Exception {
        // Only the URI line may reach stdout: everything printed through System.out goes to stderr.
        PrintStream uriOut = System.out;
        System.setOut(System.err);

        if (args.length != 2) {
            die(2, "usage: serve PORT DATA_DIR (password in env NEO4J_PASSWORD)");
        }
        int port = -1;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            die(2, "PORT must be an integer 1..65535, got '" + args[0] + "'");
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < MIN_PASSWORD) {
            die(2, "NEO4J_PASSWORD must be set, at least " + MIN_PASSWORD + " characters (Neo4j's minimum)");
        }
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(dataDir);

        // Stop requests: signals (replacing the JVM's default handler, so the exit code is ours) and
        // EOF on stdin (the parent went away or closed the pipe).
        for (String sig : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(sig), s -> requestStop("SIG" + s.getName()));
        }
        Thread stdinWatch = new Thread(Serve::watchStdin, "serve-stdin-eof");
        stdinWatch.setDaemon(true);
        stdinWatch.start();

        Set<Path> before = listDir(dataDir);
        long t0 = System.nanoTime();
        Neo4j neo4j;
        try {
            neo4j = Neo4jBuilders.newInProcessBuilder(dataDir) // work dir: DATA_DIR/<random>, deleted on close
                    .withDisabledServer() // no HTTP(S) server
                    .withConfig(HttpConnector.enabled, false)
                    .withConfig(HttpsConnector.enabled, false)
                    .withConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                    .withConfig(BoltConnector.enabled, true)
                    .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .withConfig(GraphDatabaseSettings.routing_enabled, false) // no extra listener on :7688
                    .withConfig(GraphDatabaseSettings.auth_enabled, true)
                    .withConfig(GraphDatabaseSettings.udc_enabled, false)
                    .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                    .withConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(2L * txMaxMb()))
                    .withConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(txMaxMb()))
                    .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .withConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                    // Bolt's netty groups otherwise wait a 5 s quiet period each (10 s per stop)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                    .build();
        } catch (Throwable e) {
            System.err.println("serve: Neo4j failed to start on " + HOST + ":" + port + ": " + e);
            Throwable cause = e.getCause();
            while (cause != null) {
                System.err.println("  caused by: " + cause);
                cause = cause.getCause();
            }
            // the harness leaves its half-made work dir behind: remove what appeared under DATA_DIR
            for (Path p : listDir(dataDir)) {
                if (!before.contains(p)) {
                    try {
                        FileUtils.deleteDirectory(p);
                    } catch (IOException ignored) {
                        System.err.println("serve: could not remove " + p);
                    }
                }
            }
            System.exit(1);
            return;
        }

        AtomicReference<Neo4j> running = new AtomicReference<>(neo4j);
        // Safety net for any other exit path (System.exit elsewhere, an unhandled signal).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnce(running), "serve-shutdown-hook"));

        long tBuilt = System.nanoTime();
        long tPassword;
        int boltPort;
        try {
            neo4j.databaseManagementService()
                    .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            tPassword = System.nanoTime();
            boltPort = neo4j.boltURI().getPort();
            awaitBolt(boltPort);
        } catch (Throwable e) {
            System.err.println("serve: Neo4j started but is not usable: " + e);
            closeOnce(running);
            System.exit(1);
            return;
        }

        if (STOP.getCount() == 0) { // asked to stop while starting: no URI line
            System.err.println("serve: stopping Neo4j before it was announced (" + STOP_REASON.get() + ")");
            System.exit(closeOnce(running) ? 0 : 1);
        }
        System.err.printf(
                "serve: Neo4j %s Community ready on bolt://%s:%d; JVM up %.1f s (DBMS %.1f s, password %.1f s,"
                        + " Bolt check %.1f s); work dir under %s%n",
                Version.getNeo4jVersion(), HOST, boltPort, ManagementFactory.getRuntimeMXBean().getUptime() / 1e3,
                (tBuilt - t0) / 1e9, (tPassword - tBuilt) / 1e9, (System.nanoTime() - tPassword) / 1e9, dataDir);
        uriOut.println("NEO4J_URI=bolt://" + HOST + ":" + boltPort);
        uriOut.flush();

        STOP.await();
        System.err.println("serve: stopping Neo4j (" + STOP_REASON.get() + ")");
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(STOP_TIMEOUT.toMillis());
                System.err.println("serve: Neo4j did not stop within " + STOP_TIMEOUT.toSeconds() + " s; halting");
                Runtime.getRuntime().halt(1);
            } catch (InterruptedException ignored) {
                // stopped in time
            }
        }, "serve-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        long t1 = System.nanoTime();
        boolean clean = closeOnce(running);
        System.err.printf(
                "serve: Neo4j stopped%s in %.1f s%n", clean ? "" : " with errors", (System.nanoTime() - t1) / 1e9);
        System.exit(clean ? 0 : 1);
    }

    private static void requestStop(String reason) {
        STOP_REASON.compareAndSet(null, reason);
        STOP.countDown();
    }

    private static void watchStdin() {
        byte[] buf = new byte[4096];
        InputStream in = System.in;
        try {
            while (in.read(buf) >= 0) {
                // discard; only EOF matters
            }
            requestStop("stdin closed");
        } catch (IOException e) {
            requestStop("stdin unreadable: " + e.getMessage());
        }
    }

    /** Closes Neo4j (shutdown, then the harness deletes its work dir) at most once; false on error. */
    private static boolean closeOnce(AtomicReference<Neo4j> running) {
        Neo4j neo4j = running.getAndSet(null);
        if (neo4j == null) {
            return true;
        }
        try {
            neo4j.close();
            return true;
        } catch (Throwable e) {
            System.err.println("serve: error while stopping Neo4j: " + e);
            return false;
        }
    }

    /** Waits until a Bolt handshake on 127.0.0.1:port is answered with a protocol version. */
    private static void awaitBolt(int port) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // magic 0x6060B017, then four proposals: 5.0..5.8, 4.4, none, none
        byte[] hello = {
            0x60, 0x60, (byte) 0xB0, 0x17,
            0, 8, 8, 5,
            0, 0, 4, 4,
            0, 0, 0, 0,
            0, 0, 0, 0
        };
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 2000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(hello);
                out.flush();
                byte[] answer = s.getInputStream().readNBytes(4);
                if (answer.length == 4 && (answer[2] != 0 || answer[3] != 0)) {
                    return;
                }
                last = new IOException("unexpected Bolt handshake answer (" + answer.length + " bytes)");
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("Bolt on " + HOST + ":" + port + " did not answer within "
                + READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static Set<Path> listDir(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.collect(Collectors.toSet());
        }
    }

    private static void die(int code, String message) {
        System.err.println("serve: " + message);
        System.exit(code);
    }

    /** The memory one transaction may hold, in MiB: $NEO4J_TX_MAX_MB (default 256; a large
     *  import is one transaction, so a benchmark of 100k organizations needs gigabytes). */
    private static long txMaxMb() {
        String value = System.getenv("NEO4J_TX_MAX_MB");
        return value == null || value.isBlank() ? 256 : Long.parseLong(value.trim());
    }
}
