package dev.capstan.simulator;

import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar simulator/target/capstan-simulator.jar --nodes 100}: simulates nodes against a running API server
 * until stopped (Ctrl-C). Flags: --nodes N (3), --api host:port of the internal gRPC API (127.0.0.1:6444),
 * --token-file (.capstan/data/tokens/node), --prefix (sim-node-), --zones (3), --cpu (32), --memory (256Gi), --pods
 * (110), --instance-type (sim.large), --start-delay-max milliseconds (500); each also as a system property
 * {@code -Dcapstan.simulator.<flag>=value}.
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig.Parsed parsed;
        try {
            parsed = SimulatorConfig.parse(args, System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("capstan-simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        ApiConnection connection;
        try {
            connection = ApiConnection.connect(
                    parsed.connection().api(), parsed.connection().tokenFile());
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("capstan-simulator: " + e.getMessage() + " (set --token-file)");
            System.exit(1);
            return;
        }
        Simulator simulator = new Simulator(parsed.config());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.stop();
            connection.close();
            stopped.countDown();
        }));
        simulator.start(new GrpcApiClient(connection, "capstan-simulator"));
        stopped.await();
    }
}
