package dev.seer.cli;

import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Seer server on the home until stopped (Ctrl-C or SIGTERM).",
                "Host and port come from seer.yaml (server.host, server.port) unless given here."})
final class ServerCommand extends CliCommand {
    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on.")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        runServer(cli(), "server", port, host, (server, services) -> {
            out().println("Seer server listening on " + server.url());
            out().flush();
        });
        return 0;
    }

    /**
     * Owns the home, starts the server, calls {@code started}, then blocks until the JVM is asked
     * to stop; the shutdown hook closes everything in order, so queued audit entries are committed.
     */
    static void runServer(SeerCli cli, String command, Integer port, String host,
            BiConsumer<SeerServer, SeerServices> started)
            throws InterruptedException {
        Map<String, String> environment = new HashMap<>(cli.environment());
        if (port != null) {
            environment.put(ServerConfig.PORT.environmentVariable(), port.toString());
        }
        if (host != null) {
            environment.put(ServerConfig.HOST.environmentVariable(), host);
        }
        SeerHome home = SeerHome.open(cli.homePath());
        var config = home.loadConfig(environment, ConfigSections.ALL);
        HomeLock lock = home.lock(command, cli.clock());
        SeerServices services;
        SeerServer server;
        try {
            services = SeerServices.open(home, config, cli.clock());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        try {
            server = SeerServer.start(services);
        } catch (RuntimeException e) {
            services.close();
            lock.close();
            throw e;
        }
        lock.publishUrl(server.url());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            services.close();
            lock.close();
            stopped.countDown();
        }, "seer-shutdown"));
        started.accept(server, services);
        stopped.await();
    }
}
