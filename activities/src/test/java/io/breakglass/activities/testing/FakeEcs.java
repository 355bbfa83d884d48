package io.breakglass.activities.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.breakglass.activities.config.AwsConfig;
import io.breakglass.activities.config.EcsTarget;
import io.breakglass.activities.deploy.ecs.EcsClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A test-only Amazon ECS: the JSON 1.1 protocol on 127.0.0.1 ({@code POST /}, {@code X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Operation>}, errors as HTTP 400 with {@code {"__type",
 * "message"}}) behind the SDK's {@code endpointOverride}, for the operations Breakglass calls:
 *
 * <ul>
 *   <li>{@code RegisterTaskDefinition} stores the definition as sent under the family's next
 *       revision ({@code taskDefinitionArn}, {@code revision}, {@code status: ACTIVE} added);
 *       {@code DescribeTaskDefinition} takes {@code family:revision}, an ARN, or a family (its
 *       latest ACTIVE revision);
 *   <li>{@code UpdateService} with a {@code taskDefinition} starts a deployment: a new PRIMARY
 *       deployment IN_PROGRESS, the one before ACTIVE. The next {@code DescribeServices} after it
 *       finds the rollout COMPLETED (the ACTIVE one gone) or, for the rollouts {@code failing}
 *       picks (numbered from 1), FAILED; the service keeps no circuit-breaker rollback of its own;
 *   <li>{@code DescribeServices} of an unknown service answers it under {@code failures}, as ECS
 *       does.
 * </ul>
 *
 * It records every call as operation and the resource IAM authorises it on (the service ARN, or
 * {@code *} for task definition actions, which take no resource-level permission), and the roles
 * each registration passes. It signs nothing and checks no signature.
 */
public final class FakeEcs implements AutoCloseable {

  /** One request: {@code ecs:<operation>} on a resource. */
  public record Call(String operation, String resource) {}

  static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String region;
  private final String account;
  private final IntPredicate failing;
  private final Map<String, List<ObjectNode>> families = new LinkedHashMap<>();
  private final Map<String, ObjectNode> services = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<String> passedRoles = new ArrayList<>();
  private int rollouts;
  private int deploymentIds;

  private FakeEcs(String region, String account, IntPredicate failing) throws IOException {
    this.region = region;
    this.account = account;
    this.failing = failing;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake on a free loopback port whose ARNs are in {@code region} and {@code account}. */
  public static FakeEcs start(String region, String account, IntPredicate failing) {
    try {
      return new FakeEcs(region, account, failing);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake ECS", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A client on this fake with throwaway static credentials. */
  public EcsClient client(EcsTarget target) {
    EcsTarget here =
        new EcsTarget(
            target.cluster(),
            target.service(),
            target.references(),
            target.rolloutTimeout(),
            endpoint());
    return EcsClients.builder(new AwsConfig(region, null, null, false), here)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKE", "fake")))
        .build();
  }

  /**
   * Registers {@code definition} (JSON as RegisterTaskDefinition takes it) and runs it as a steady
   * service.
   */
  public synchronized String createService(String cluster, String service, String definition) {
    try {
      String arn =
          register((ObjectNode) JSON.readTree(definition)).path("taskDefinitionArn").asText();
      ObjectNode created =
          JSON.createObjectNode()
              .put("serviceArn", serviceArn(cluster, service))
              .put("serviceName", service)
              .put("clusterArn", "arn:aws:ecs:" + region + ":" + account + ":cluster/" + cluster)
              .put("status", "ACTIVE")
              .put("taskDefinition", arn);
      created.putArray("deployments").add(deployment(arn, "PRIMARY", "COMPLETED"));
      services.put(serviceArn(cluster, service), created);
      return arn;
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public String serviceArn(String cluster, String service) {
    return "arn:aws:ecs:" + region + ":" + account + ":service/" + cluster + "/" + service;
  }

  /** The task definition the service runs. */
  public synchronized String running(String cluster, String service) {
    return services.get(serviceArn(cluster, service)).path("taskDefinition").asText();
  }

  /** A registered task definition, as DescribeTaskDefinition answers it. */
  public synchronized JsonNode taskDefinition(String arn) {
    return find(arn).deepCopy();
  }

  /** Every revision registered in the family, oldest first. */
  public synchronized List<String> revisions(String family) {
    return families.getOrDefault(family, List.of()).stream()
        .map(d -> d.path("taskDefinitionArn").asText())
        .toList();
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The role ARNs registrations passed (taskRoleArn, executionRoleArn). */
  public synchronized List<String> passedRoles() {
    return List.copyOf(passedRoles);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- the protocol ---

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      int status = 200;
      ObjectNode answer;
      synchronized (this) {
        try {
          if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new Refusal("UnknownOperationException", "no such target " + target);
          }
          answer = dispatch(target.substring(TARGET_PREFIX.length()), body);
        } catch (Refusal r) {
          status = 400;
          answer = JSON.createObjectNode().put("__type", r.type).put("message", r.getMessage());
        }
      }
      byte[] bytes = JSON.writeValueAsBytes(answer);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private ObjectNode dispatch(String operation, JsonNode in) {
    return switch (operation) {
      case "DescribeServices" -> describeServices(in);
      case "DescribeTaskDefinition" -> {
        calls.add(new Call(operation, "*"));
        ObjectNode out = JSON.createObjectNode();
        out.set("taskDefinition", find(required(in, "taskDefinition")).deepCopy());
        yield out;
      }
      case "RegisterTaskDefinition" -> {
        calls.add(new Call(operation, "*"));
        ObjectNode out = JSON.createObjectNode();
        out.set("taskDefinition", register(((ObjectNode) in).deepCopy()).deepCopy());
        yield out;
      }
      case "UpdateService" -> updateService(in);
      default ->
          throw new Refusal(
              "UnknownOperationException",
              "operation " + operation + " is not implemented by the fake");
    };
  }

  private ObjectNode describeServices(JsonNode in) {
    String cluster = required(in, "cluster");
    ObjectNode out = JSON.createObjectNode();
    ArrayNode found = out.putArray("services");
    ArrayNode failures = out.putArray("failures");
    for (JsonNode name : in.path("services")) {
      String arn =
          name.asText().startsWith("arn:") ? name.asText() : serviceArn(cluster, name.asText());
      calls.add(new Call("DescribeServices", arn));
      ObjectNode service = services.get(arn);
      if (service == null) {
        failures.addObject().put("arn", arn).put("reason", "MISSING");
        continue;
      }
      progress(service);
      found.add(service.deepCopy());
    }
    return out;
  }

  private ObjectNode updateService(JsonNode in) {
    String arn = serviceArn(required(in, "cluster"), required(in, "service"));
    calls.add(new Call("UpdateService", arn));
    ObjectNode service = services.get(arn);
    if (service == null) {
      throw new Refusal("ServiceNotFoundException", "Service not found.");
    }
    String taskDefinition = find(required(in, "taskDefinition")).path("taskDefinitionArn").asText();
    ArrayNode deployments = (ArrayNode) service.get("deployments");
    ArrayNode after = JSON.createArrayNode();
    after.add(deployment(taskDefinition, "PRIMARY", "IN_PROGRESS"));
    for (JsonNode d : deployments) {
      if ("PRIMARY".equals(d.path("status").asText())
          || "ACTIVE".equals(d.path("status").asText())) {
        ((ObjectNode) d).put("status", "ACTIVE");
        after.add(d);
      }
    }
    service.set("deployments", after);
    service.put("taskDefinition", taskDefinition);
    rollouts++;
    ((ObjectNode) after.get(0)).put("fails", failing.test(rollouts));
    ObjectNode out = JSON.createObjectNode();
    out.set("service", service.deepCopy());
    return out;
  }

  /** An IN_PROGRESS primary deployment finishes at the first look after it started. */
  private static void progress(ObjectNode service) {
    ArrayNode deployments = (ArrayNode) service.get("deployments");
    ObjectNode primary = (ObjectNode) deployments.get(0);
    if (!"IN_PROGRESS".equals(primary.path("rolloutState").asText())) {
      return;
    }
    if (primary.path("fails").asBoolean()) {
      primary
          .put("rolloutState", "FAILED")
          .put("rolloutStateReason", "ECS deployment circuit breaker: tasks failed to start.");
      return;
    }
    primary.put("rolloutState", "COMPLETED").put("rolloutStateReason", "ECS deployment completed.");
    ArrayNode steady = JSON.createArrayNode();
    steady.add(primary);
    service.set("deployments", steady);
  }

  private ObjectNode deployment(String taskDefinition, String status, String rolloutState) {
    return JSON.createObjectNode()
        .put("id", "ecs-svc/" + (++deploymentIds))
        .put("status", status)
        .put("taskDefinition", taskDefinition)
        .put("rolloutState", rolloutState);
  }

  private ObjectNode register(ObjectNode definition) {
    String family = definition.path("family").asText(null);
    if (family == null || !definition.path("containerDefinitions").isArray()) {
      throw new Refusal("ClientException", "family and containerDefinitions are required");
    }
    for (String role : List.of("taskRoleArn", "executionRoleArn")) {
      if (definition.hasNonNull(role)) {
        passedRoles.add(definition.get(role).asText());
      }
    }
    List<ObjectNode> revisions = families.computeIfAbsent(family, f -> new ArrayList<>());
    int revision = revisions.size() + 1;
    definition
        .put(
            "taskDefinitionArn",
            "arn:aws:ecs:" + region + ":" + account + ":task-definition/" + family + ":" + revision)
        .put("revision", revision)
        .put("status", "ACTIVE");
    revisions.add(definition);
    return definition;
  }

  private ObjectNode find(String reference) {
    String familyAndRevision = reference.substring(reference.lastIndexOf('/') + 1);
    int colon = familyAndRevision.lastIndexOf(':');
    String family = colon < 0 ? familyAndRevision : familyAndRevision.substring(0, colon);
    List<ObjectNode> revisions = families.get(family);
    if (revisions == null || revisions.isEmpty()) {
      throw new Refusal("ClientException", "Unable to describe task definition.");
    }
    if (colon < 0) {
      return revisions.get(revisions.size() - 1);
    }
    int revision = Integer.parseInt(familyAndRevision.substring(colon + 1));
    if (revision < 1 || revision > revisions.size()) {
      throw new Refusal("ClientException", "Unable to describe task definition.");
    }
    return revisions.get(revision - 1);
  }

  private static String required(JsonNode in, String field) {
    JsonNode node = in.get(field);
    if (node == null || node.isNull()) {
      throw new Refusal("InvalidParameterException", field + " is required");
    }
    return node.asText();
  }

  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String type;

    Refusal(String type, String message) {
      super(message);
      this.type = type;
    }
  }
}
