package dev.capstan.client.leader;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Callbacks that write down what they heard, in order. */
final class Recorder implements LeaderElector.Callbacks {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Runnable onStopped = () -> {};

    @Override
    public void onStartedLeading() {
        calls.add("started");
    }

    @Override
    public void onStoppedLeading() {
        onStopped.run();
        calls.add("stopped");
    }

    @Override
    public void onNewLeader(String identity) {
        calls.add("leader " + identity);
    }
}
