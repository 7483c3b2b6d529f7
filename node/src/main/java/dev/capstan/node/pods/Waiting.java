package dev.capstan.node.pods;

/** Why a container waits, as its status shows it: a reason (ErrImagePull, CrashLoopBackOff, …) and a message. */
record Waiting(String reason, String message) {}
