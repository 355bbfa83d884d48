package io.breakglass.workflows.messages.values;

import java.time.Duration;

/**
 * One metric of METRIC_WATCH as the workflow schedules it; the query and the conditions stay in the
 * workers' configuration.
 *
 * @param name the metric's name in the configuration
 * @param interval time between two measurements
 * @param count how many measurements make a complete analysis
 * @param failureLimit how many failed measurements are tolerated
 * @param inconclusiveLimit how many inconclusive or error measurements are tolerated
 * @param baseline whether a baseline is captured at PLAN, before anything changes
 */
public record MetricPlan(
    String name,
    Duration interval,
    int count,
    int failureLimit,
    int inconclusiveLimit,
    boolean baseline) {}
