package io.breakglass.worker;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the worker's last long polls of Temporal ended, per poll call ({@code PollWorkflowTaskQueue},
 * {@code PollActivityTaskQueue}, {@code PollNexusTaskQueue}): a gRPC interceptor on the worker's
 * service stubs. A poll that returns, with a task or empty after its long-poll timeout, counts as
 * healthy; one that ends with an error status (Temporal unreachable, refused, cancelled) as failing
 * until the next poll of that kind returns. The SDK exposes no poller state of its own.
 */
public final class PollerHealth implements ClientInterceptor {

  private static final Set<String> POLLS =
      Set.of("PollWorkflowTaskQueue", "PollActivityTaskQueue", "PollNexusTaskQueue");

  /** Poll call to the status code of its last failure; absent while its last poll returned. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    String poll = method.getBareMethodName();
    ClientCall<Q, R> call = next.newCall(method, options);
    if (poll == null || !POLLS.contains(poll)) {
      return call;
    }
    return new SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                if (status.isOk()) {
                  failing.remove(poll);
                } else {
                  failing.put(poll, status.getCode().name());
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  /** The poll calls whose last attempt failed, with the status code it failed with. */
  public Map<String, String> failing() {
    return new TreeMap<>(failing);
  }
}
