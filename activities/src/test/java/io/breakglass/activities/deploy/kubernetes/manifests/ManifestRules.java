package io.breakglass.activities.deploy.kubernetes.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules every rendering of deploy/kubernetes keeps. Each returns the violations it finds (empty
 * when the manifests keep it), so a test can show both that the manifests pass and that a mutated
 * manifest fails.
 */
final class ManifestRules {

  static final String COMPONENT = "app.kubernetes.io/component";
  static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
  private static final Pattern ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[A-Z_]+}");
  private static final long UID = 65532;

  /** What the contract fixes for each component: ports, probe paths, metrics, network. */
  record Component(
      String name,
      String command,
      String configFile,
      String probePort,
      String livePath,
      String readyPath,
      String metricsPort,
      String metricsPath,
      Set<String> ingress) {}

  static final Set<String> EGRESS =
      Set.of(
          "53/UDP to ns{kubernetes.io/metadata.name=kube-system}",
          "53/TCP to ns{kubernetes.io/metadata.name=kube-system}",
          "7233/TCP to anywhere",
          "5432/TCP to anywhere",
          "443/TCP to anywhere");
  private static final String MONITORING = "ns{kubernetes.io/metadata.name=monitoring}";

  static final Map<String, Component> COMPONENTS =
      Map.of(
          "worker",
          new Component(
              "worker",
              "worker",
              "/etc/breakglass/worker.yml",
              "http-metrics",
              "/health/live",
              "/health/ready",
              "http-metrics",
              "/metrics",
              Set.of("9464/TCP from " + MONITORING)),
          "api",
          new Component(
              "api",
              "server",
              "/etc/breakglass/api.yml",
              "http-admin",
              "/ping",
              "/healthcheck",
              "http-admin",
              "/prometheus",
              Set.of(
                  "8080/TCP from ns{breakglass.io/ingress=true}", "8081/TCP from " + MONITORING)));

  private ManifestRules() {}

  /** Liveness and readiness (and any startup) probes: HTTP, the contract's paths, a named port. */
  static List<String> probes(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      Component c = component(d);
      Container container = container(d);
      check(violations, d, "liveness", container.getLivenessProbe(), c.livePath(), c, container);
      check(violations, d, "readiness", container.getReadinessProbe(), c.readyPath(), c, container);
      if (container.getStartupProbe() != null) {
        check(violations, d, "startup", container.getStartupProbe(), c.livePath(), c, container);
      }
    }
    return violations;
  }

  private static void check(
      List<String> violations,
      Deployment d,
      String kind,
      Probe probe,
      String path,
      Component c,
      Container container) {
    HTTPGetAction get = probe == null ? null : probe.getHttpGet();
    if (get == null) {
      violations.add(name(d) + ": no HTTP " + kind + " probe");
      return;
    }
    if (!path.equals(get.getPath())) {
      violations.add(name(d) + ": " + kind + " probe on " + get.getPath() + ", not " + path);
    }
    String port = get.getPort() == null ? null : get.getPort().getStrVal();
    if (!c.probePort().equals(port) || containerPort(container, port).isEmpty()) {
      violations.add(
          name(d)
              + ": "
              + kind
              + " probe port "
              + get.getPort()
              + " is not the named "
              + c.probePort()
              + " of the container");
    }
  }

  /** Non-root uid 65532, no privilege escalation, read-only root, no capabilities, seccomp. */
  static List<String> security(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      PodSecurityContext podContext =
          Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
      for (Container container : pod.getContainers()) {
        SecurityContext sc =
            Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
        String where = name(d) + "/" + container.getName() + ": ";
        Boolean nonRoot = first(sc.getRunAsNonRoot(), podContext.getRunAsNonRoot());
        Long uid = first(sc.getRunAsUser(), podContext.getRunAsUser());
        if (!Boolean.TRUE.equals(nonRoot) || !Objects.equals(uid, UID)) {
          violations.add(where + "not runAsNonRoot as uid " + UID);
        }
        if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
          violations.add(where + "root filesystem not read-only");
        }
        if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
            || Boolean.TRUE.equals(sc.getPrivileged())) {
          violations.add(where + "privilege escalation not forbidden");
        }
        if (sc.getCapabilities() == null
            || !sc.getCapabilities().getDrop().contains("ALL")
            || !sc.getCapabilities().getAdd().isEmpty()) {
          violations.add(where + "capabilities not all dropped");
        }
        String seccomp =
            sc.getSeccompProfile() != null
                ? sc.getSeccompProfile().getType()
                : podContext.getSeccompProfile() == null
                    ? null
                    : podContext.getSeccompProfile().getType();
        if (!"RuntimeDefault".equals(seccomp)) {
          violations.add(where + "seccomp profile not RuntimeDefault");
        }
        boolean tmpIsEmptyDir =
            container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .anyMatch(
                    m -> volume(pod, m.getName()).map(v -> v.getEmptyDir() != null).orElse(false));
        if (!tmpIsEmptyDir) {
          violations.add(where + "/tmp is not an emptyDir (the root filesystem is read-only)");
        }
      }
    }
    return violations;
  }

  /** CPU and memory requested and limited, requests within limits. */
  static List<String> resources(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      for (Container container : d.getSpec().getTemplate().getSpec().getContainers()) {
        var r = container.getResources();
        for (String resource : List.of("cpu", "memory")) {
          Quantity request = r == null ? null : r.getRequests().get(resource);
          Quantity limit = r == null ? null : r.getLimits().get(resource);
          if (request == null || limit == null) {
            violations.add(name(d) + ": " + resource + " request or limit missing");
          } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
            violations.add(name(d) + ": " + resource + " request above its limit");
          }
        }
      }
    }
    return violations;
  }

  /** The worker's pods get longer to stop than its shutdown grace; every pod sets its grace. */
  static List<String> terminationGrace(List<HasMetadata> resources, Duration shutdownGrace) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      Long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
      if (grace == null) {
        violations.add(name(d) + ": no terminationGracePeriodSeconds");
      } else if (component(d).name().equals("worker") && grace <= shutdownGrace.toSeconds()) {
        violations.add(
            name(d)
                + ": terminationGracePeriodSeconds "
                + grace
                + " not above the worker's shutdownGrace "
                + shutdownGrace);
      }
    }
    return violations;
  }

  /** The container runs the contract's command on the configuration file mounted read-only. */
  static List<String> configuration(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      Component c = component(d);
      Container container = container(d);
      if (!List.of(c.command(), c.configFile()).equals(container.getArgs())) {
        violations.add(
            name(d)
                + ": args "
                + container.getArgs()
                + ", not "
                + c.command()
                + " "
                + c.configFile());
      }
      String dir = c.configFile().substring(0, c.configFile().lastIndexOf('/'));
      boolean mounted =
          container.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals(dir) && Boolean.TRUE.equals(m.getReadOnly()))
              .map(m -> volume(d.getSpec().getTemplate().getSpec(), m.getName()))
              .flatMap(Optional::stream)
              .anyMatch(v -> v.getConfigMap() != null);
      if (!mounted) {
        violations.add(name(d) + ": " + dir + " is not a read-only ConfigMap mount");
      }
    }
    return violations;
  }

  /** Exactly one PodDisruptionBudget per Deployment, selecting its pods and no other's. */
  static List<String> disruptionBudgets(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    List<PodDisruptionBudget> budgets = of(resources, PodDisruptionBudget.class);
    for (Deployment d : of(resources, Deployment.class)) {
      List<PodDisruptionBudget> mine =
          budgets.stream()
              .filter(b -> sameNamespace(b, d) && selects(b.getSpec().getSelector(), podLabels(d)))
              .toList();
      if (mine.size() != 1) {
        violations.add(name(d) + ": " + mine.size() + " PodDisruptionBudgets select its pods");
      }
      for (PodDisruptionBudget b : mine) {
        if (b.getSpec().getMaxUnavailable() == null && b.getSpec().getMinAvailable() == null) {
          violations.add(name(b) + ": neither maxUnavailable nor minAvailable");
        }
      }
    }
    for (PodDisruptionBudget b : budgets) {
      long selected =
          of(resources, Deployment.class).stream()
              .filter(d -> sameNamespace(b, d) && selects(b.getSpec().getSelector(), podLabels(d)))
              .count();
      if (selected != 1) {
        violations.add(name(b) + ": selects the pods of " + selected + " Deployments");
      }
    }
    return violations;
  }

  /**
   * The pods' ServiceAccount exists and carries the IAM role annotation: a ${...} placeholder in
   * the base, a role ARN once an overlay set it.
   */
  static List<String> serviceAccounts(List<HasMetadata> resources, boolean rendered) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      String name = d.getSpec().getTemplate().getSpec().getServiceAccountName();
      Optional<ServiceAccount> account =
          of(resources, ServiceAccount.class).stream()
              .filter(a -> sameNamespace(a, d) && a.getMetadata().getName().equals(name))
              .findFirst();
      if (account.isEmpty()) {
        violations.add(name(d) + ": no ServiceAccount " + name);
        continue;
      }
      String arn = account.get().getMetadata().getAnnotations().get(ROLE_ARN);
      Pattern expected = rendered ? ARN : PLACEHOLDER;
      if (arn == null || !expected.matcher(arn).matches()) {
        violations.add(name(account.get()) + ": " + ROLE_ARN + " is " + arn + ", not " + expected);
      }
    }
    return violations;
  }

  /** One Service per Deployment exposing every container port by name, selecting only its pods. */
  static List<String> services(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      List<Service> mine = servicesOf(resources, d);
      if (mine.size() != 1) {
        violations.add(name(d) + ": " + mine.size() + " Services select its pods");
        continue;
      }
      Set<String> exposed = new TreeSet<>();
      for (ServicePort port : mine.get(0).getSpec().getPorts()) {
        String target = port.getTargetPort() == null ? null : port.getTargetPort().getStrVal();
        if (containerPort(container(d), target).isEmpty()) {
          violations.add(
              name(mine.get(0)) + ": port " + port.getName() + " targets no named container port");
        } else {
          exposed.add(target);
        }
      }
      for (ContainerPort port : container(d).getPorts()) {
        if (!exposed.contains(port.getName())) {
          violations.add(name(d) + ": container port " + port.getName() + " has no Service port");
        }
      }
    }
    return violations;
  }

  /**
   * Policies select each Deployment's pods for both directions and allow exactly the contract's
   * ingress (API 8080 from ingress namespaces, metrics/admin from monitoring) and egress (DNS,
   * Temporal, PostgreSQL, HTTPS).
   */
  static List<String> networkPolicies(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      List<NetworkPolicy> mine =
          of(resources, NetworkPolicy.class).stream()
              .filter(
                  p -> sameNamespace(p, d) && selects(p.getSpec().getPodSelector(), podLabels(d)))
              .toList();
      Set<String> types = new TreeSet<>();
      Set<String> ingress = new TreeSet<>();
      Set<String> egress = new TreeSet<>();
      for (NetworkPolicy p : mine) {
        types.addAll(p.getSpec().getPolicyTypes());
        for (var rule : p.getSpec().getIngress()) {
          ingress.addAll(allowed(rule.getPorts(), rule.getFrom(), "from"));
        }
        for (var rule : p.getSpec().getEgress()) {
          egress.addAll(allowed(rule.getPorts(), rule.getTo(), "to"));
        }
      }
      if (!types.containsAll(Set.of("Ingress", "Egress"))) {
        violations.add(
            name(d) + ": its pods are not isolated both ways (policy types " + types + ")");
      }
      if (!ingress.equals(component(d).ingress())) {
        violations.add(
            name(d) + ": ingress allowed " + ingress + ", expected " + component(d).ingress());
      }
      if (!egress.equals(EGRESS)) {
        violations.add(name(d) + ": egress allowed " + egress + ", expected " + EGRESS);
      }
    }
    return violations;
  }

  /** "port/protocol from|to peer" for each pair a rule allows; "any port" and "anywhere" show. */
  private static List<String> allowed(
      List<NetworkPolicyPort> ports, List<NetworkPolicyPeer> peers, String direction) {
    List<String> portNames =
        ports.isEmpty()
            ? List.of("any port")
            : ports.stream().map(p -> port(p.getPort()) + "/" + p.getProtocol()).toList();
    List<String> peerNames =
        peers.isEmpty() ? List.of("anywhere") : peers.stream().map(ManifestRules::peer).toList();
    List<String> allowed = new ArrayList<>();
    for (String port : portNames) {
      for (String peer : peerNames) {
        allowed.add(port + " " + direction + " " + peer);
      }
    }
    return allowed;
  }

  private static String port(IntOrString port) {
    return port == null
        ? "any port"
        : port.getIntVal() != null ? "" + port.getIntVal() : port.getStrVal();
  }

  private static String peer(NetworkPolicyPeer peer) {
    if (peer.getIpBlock() != null) {
      return "ip " + peer.getIpBlock().getCidr() + " except " + peer.getIpBlock().getExcept();
    }
    String ns =
        peer.getNamespaceSelector() == null ? "" : "ns" + labels(peer.getNamespaceSelector());
    String pods = peer.getPodSelector() == null ? "" : "pods" + labels(peer.getPodSelector());
    return (ns + " " + pods).trim();
  }

  private static String labels(LabelSelector selector) {
    if (!selector.getMatchExpressions().isEmpty()) {
      return "{expressions " + selector.getMatchExpressions() + "}";
    }
    return new java.util.TreeMap<>(selector.getMatchLabels()).toString();
  }

  /**
   * A ServiceMonitor selects the Service of each Deployment and scrapes the metrics port by its
   * Service port name on the contract's path.
   */
  static List<String> serviceMonitors(List<HasMetadata> resources) {
    List<String> violations = new ArrayList<>();
    for (Deployment d : of(resources, Deployment.class)) {
      Component c = component(d);
      boolean scraped = false;
      for (Service service : servicesOf(resources, d)) {
        Optional<String> metricsPort =
            service.getSpec().getPorts().stream()
                .filter(
                    p ->
                        p.getTargetPort() != null
                            && c.metricsPort().equals(p.getTargetPort().getStrVal()))
                .map(ServicePort::getName)
                .findFirst();
        for (ServiceMonitor monitor : of(resources, ServiceMonitor.class)) {
          var ns = monitor.getSpec().getNamespaceSelector();
          boolean inNamespace =
              ns == null || ns.getMatchNames().isEmpty()
                  ? sameNamespace(monitor, service)
                  : ns.getMatchNames().contains(service.getMetadata().getNamespace());
          if (inNamespace
              && selects(monitor.getSpec().getSelector(), service.getMetadata().getLabels())) {
            for (Endpoint e : monitor.getSpec().getEndpoints()) {
              if (metricsPort.isPresent()
                  && metricsPort.get().equals(e.getPort())
                  && c.metricsPath().equals(e.getPath())) {
                scraped = true;
              }
            }
          }
        }
      }
      if (!scraped) {
        violations.add(
            name(d)
                + ": no ServiceMonitor scrapes "
                + c.metricsPort()
                + " "
                + c.metricsPath()
                + " through its Service");
      }
    }
    return violations;
  }

  static <T> List<T> of(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<Service> servicesOf(List<HasMetadata> resources, Deployment d) {
    return of(resources, Service.class).stream()
        .filter(s -> sameNamespace(s, d) && !s.getSpec().getSelector().isEmpty())
        .filter(s -> podLabels(d).entrySet().containsAll(s.getSpec().getSelector().entrySet()))
        .toList();
  }

  private static Component component(Deployment d) {
    String name = podLabels(d).get(COMPONENT);
    Component c = COMPONENTS.get(name);
    if (c == null) {
      throw new IllegalArgumentException(name(d) + ": unknown component " + name);
    }
    return c;
  }

  private static Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Map<String, String> podLabels(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels();
  }

  private static Optional<ContainerPort> containerPort(Container container, String name) {
    return container.getPorts().stream().filter(p -> Objects.equals(p.getName(), name)).findFirst();
  }

  private static Optional<Volume> volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  /** matchLabels only: a selector with expressions selects nothing here (none is used). */
  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    return selector != null
        && selector.getMatchExpressions().isEmpty()
        && !selector.getMatchLabels().isEmpty()
        && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
  }

  private static boolean sameNamespace(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static String name(HasMetadata r) {
    return r.getKind() + " " + r.getMetadata().getName();
  }
}
