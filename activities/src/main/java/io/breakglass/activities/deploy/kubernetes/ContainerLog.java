package io.breakglass.activities.deploy.kubernetes;

import io.breakglass.activities.logscan.LogLine;
import io.breakglass.activities.logscan.LogSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of one container of one pod. Lines are numbered within the tail that was read (line 1 is
 * the oldest of the last {@code maxLines}), since the kubelet keeps no absolute numbering.
 */
record ContainerLog(KubernetesClient client, String namespace, String pod, String container)
    implements LogSource {

  @Override
  public String name() {
    return namespace + "/" + pod + "/" + container;
  }

  @Override
  public List<LogLine> recent(int maxLines) throws IOException {
    String log = ContainerLogTail.read(client, namespace, pod, container, maxLines);
    if (log == null) {
      throw new FileNotFoundException(name() + ": the pod is gone");
    }
    List<LogLine> lines = new ArrayList<>();
    log.lines().forEach(text -> lines.add(new LogLine(lines.size() + 1, text)));
    return lines;
  }
}
