package dev.seer.features.stream;

import dev.seer.core.SeerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker inside this process, for a home with no {@code kafka.bootstrap}:
 * KRaft mode, one node that is both broker and controller, its log under the given folder. It
 * is the real broker from the Kafka jars, not a stand-in: clients see the same protocol,
 * transactions and consumer groups as on a cluster. The cluster id and ports are kept in the
 * folder, so a restart finds its data and, when the ports are still free, the same address.
 * Topics are not created on first use: a topic that does not exist is an error.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;
    private final String bootstrap;

    private KafkaBroker(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    /** Formats the folder on first use, then starts the broker; returns once it serves requests. */
    public static KafkaBroker start(Path dir) {
        try {
            Files.createDirectories(dir);
            Properties ports = ports(dir);
            int port = Integer.parseInt(ports.getProperty("broker"));
            int controller = Integer.parseInt(ports.getProperty("controller"));
            Path config = dir.resolve("server.properties");
            Properties properties = properties(dir, port, controller);
            try (Writer out = Files.newBufferedWriter(config)) {
                properties.store(out, "written by Seer at each start");
            }
            format(dir, config);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            server.startup();
            String bootstrap = HOST + ":" + port;
            LOG.info("Kafka broker (KRaft, single node) listening on {}, data in {}", bootstrap, dir);
            return new KafkaBroker(server, bootstrap);
        } catch (IOException | RuntimeException e) {
            throw new SeerException(StreamErrorCode.BROKER_FAILED, "Cannot start the embedded Kafka broker in [" + dir
                    + "]: " + e.getMessage(), Map.of("dir", dir.toString()), e);
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties properties(Path dir, int port, int controller) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + HOST + ":" + controller);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("log").toString());
        // One node: internal topics cannot have more replicas than that.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "8");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "8");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // A killed Seer process's partitions move to the others within seconds, not 45 s.
        p.setProperty("group.consumer.min.session.timeout.ms", "5000");
        p.setProperty("group.consumer.session.timeout.ms", "10000");
        p.setProperty("group.consumer.heartbeat.interval.ms", "2000");
        p.setProperty("group.consumer.min.heartbeat.interval.ms", "1000");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "4");
        return p;
    }

    /** The ports of an earlier start if both are free, else two new free ones; kept in {@code ports.properties}. */
    private static Properties ports(Path dir) throws IOException {
        Path file = dir.resolve("ports.properties");
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                ports.load(in);
            }
            if (free(ports.getProperty("broker")) && free(ports.getProperty("controller"))) {
                return ports;
            }
        }
        ports.setProperty("broker", Integer.toString(freePort()));
        ports.setProperty("controller", Integer.toString(freePort()));
        try (Writer out = Files.newBufferedWriter(file)) {
            ports.store(out, "ports of the embedded Kafka broker");
        }
        return ports;
    }

    private static boolean free(String port) {
        if (port == null) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket(Integer.parseInt(port), 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /** Formats the log folder once, with a cluster id kept beside it. */
    private static void format(Path dir, Path config) throws IOException {
        if (Files.exists(dir.resolve("log").resolve("meta.properties"))) {
            return;
        }
        Path idFile = dir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).trim();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()}, out);
        }
        if (status != 0) {
            throw new IOException("formatting the log folder failed: " + output.toString(StandardCharsets.UTF_8).trim());
        }
    }
}
