package io.breakglass.worker;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Temporal test server behind TLS that requires a client certificate from the test CA, like a
 * self-hosted cluster with mTLS; it records the {@code authorization} header of every call.
 */
final class TlsTemporalServer implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final TestServicesStarter services = new TestServicesStarter(true, 0);
  private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  private final Server server;

  TlsTemporalServer(TestPki pki) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            TlsServerCredentials.newBuilder()
                .keyManager(pki.serverCert().toFile(), pki.serverKey().toFile())
                .trustManager(pki.caCert().toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build());
    GRPCServerHelper.registerServicesAndHealthChecks(
        services.getServices(), builder, List.of(new AuthorizationRecorder()));
    server = builder.build().start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The {@code authorization} headers received so far, in order. */
  List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      services.close();
    }
  }

  private final class AuthorizationRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String authorization = headers.get(AUTHORIZATION);
      if (authorization != null) {
        authorizations.add(authorization);
      }
      return next.startCall(call, headers);
    }
  }
}
