package dev.capstan.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The harnesses that time a cluster on the machine it runs on keep their own JVM on the client compiler (C1). Their
 * work is a few thousand watch events a run, which C1 compiles cheaply; the optimising compiler spent 2–3 CPU-seconds
 * compiling the harness during a 10-second burst, on the same two cores the cluster was being timed on (see
 * docs/benchmarks.md, "The harness's share of the cores").
 */
final class HarnessJvm {
    static final String CLIENT_COMPILER = "-XX:TieredStopAtLevel=1";

    private HarnessJvm() {}

    /**
     * Unless this JVM already runs on the client compiler (or {@code CAPSTAN_BENCH_HARNESS_JIT=default} asks for the
     * JVM as started), runs {@code main} with {@code args} again in a child JVM that does, with this one's options and
     * class path, and exits with its status; otherwise returns.
     */
    static void onClientCompiler(Class<?> main, String[] args) throws IOException, InterruptedException {
        if ("default".equals(System.getenv("CAPSTAN_BENCH_HARNESS_JIT")) || onClientCompilerAlready()) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add(CLIENT_COMPILER);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // a harness stopped early stops its child too: it owns a cluster that it brings down on exit
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
        System.exit(child.waitFor());
    }

    private static boolean onClientCompilerAlready() {
        var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return "1".equals(hotspot.getVMOption("TieredStopAtLevel").getValue());
    }
}
