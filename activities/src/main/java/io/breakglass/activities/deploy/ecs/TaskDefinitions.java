package io.breakglass.activities.deploy.ecs;

import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Task definitions as ECS describes and registers them. */
final class TaskDefinitions {

  private TaskDefinitions() {}

  /** The family of {@code arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>}. */
  static String family(String taskDefinitionArn) {
    String familyAndRevision = taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
    int colon = familyAndRevision.lastIndexOf(':');
    return colon < 0 ? familyAndRevision : familyAndRevision.substring(0, colon);
  }

  /**
   * A registration of {@code described} with {@code containers}: every field a registration takes
   * is copied, so the new revision differs only in its containers.
   */
  static RegisterTaskDefinitionRequest copy(
      TaskDefinition described, List<ContainerDefinition> containers) {
    return RegisterTaskDefinitionRequest.builder()
        .family(described.family())
        .taskRoleArn(described.taskRoleArn())
        .executionRoleArn(described.executionRoleArn())
        .networkMode(described.networkMode())
        .containerDefinitions(containers)
        .volumes(described.volumes())
        .placementConstraints(described.placementConstraints())
        .requiresCompatibilitiesWithStrings(described.requiresCompatibilitiesAsStrings())
        .cpu(described.cpu())
        .memory(described.memory())
        .pidMode(described.pidMode())
        .ipcMode(described.ipcMode())
        .proxyConfiguration(described.proxyConfiguration())
        .inferenceAccelerators(described.inferenceAccelerators())
        .ephemeralStorage(described.ephemeralStorage())
        .runtimePlatform(described.runtimePlatform())
        .enableFaultInjection(described.enableFaultInjection())
        .build();
  }
}
