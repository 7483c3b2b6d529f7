package dev.capstan.controllers.expectations;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kind;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.ServedResource;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * An {@link ApiClient} over another whose watches hold their events while the gate is closed: an informer cache that
 * lags the API by as long as a test wants.
 */
public final class GatedApiClient implements ApiClient {
    private final ApiClient delegate;
    private final Object lock = new Object();
    private boolean open = true;
    private final java.util.concurrent.atomic.AtomicInteger createsLeft =
            new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);

    public GatedApiClient(ApiClient delegate) {
        this.delegate = delegate;
    }

    public void close() {
        synchronized (lock) {
            open = false;
        }
    }

    /** Pod creates after the next {@code n} fail with 403 Forbidden, as under an exhausted quota. */
    public void failPodCreatesAfter(int n) {
        createsLeft.set(n);
    }

    public void open() {
        synchronized (lock) {
            open = true;
            lock.notifyAll();
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (lock) {
            while (!open) {
                lock.wait();
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind) {
        ResourceClient<T> inner = delegate.resources(kind);
        return (ResourceClient<T>) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ResourceClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("create")
                            && kind.equals(dev.capstan.client.Kinds.PODS)
                            && createsLeft.getAndDecrement() <= 0) {
                        throw new dev.capstan.client.ApiError(
                                403, "Forbidden", "pods is forbidden: exceeded quota: compute", null);
                    }
                    Object result = invoke(inner, method, args);
                    if (method.getName().equals("watch")) {
                        return gate((WatchStream<?>) result);
                    }
                    return result;
                });
    }

    private Object gate(WatchStream<?> stream) {
        return Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {WatchStream.class}, (proxy, method, args) -> {
                    Object result = invoke(stream, method, args);
                    if (method.getName().equals("hasNext")) {
                        awaitOpen();
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public void bind(String namespace, String pod, String uid, String node) {
        delegate.bind(namespace, pod, uid, node);
    }

    @Override
    public List<ServedResource> discover() {
        return delegate.discover();
    }

    @Override
    public String fieldManager() {
        return delegate.fieldManager();
    }
}
