package io.breakglass.worker.rotation;

import io.breakglass.workflows.activities.NotificationActivities;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real notification activities, with every notice also kept for assertions. */
final class RecordingNotifications implements NotificationActivities {

  final List<Notice> notices = new CopyOnWriteArrayList<>();
  private final NotificationActivities delegate;

  RecordingNotifications(NotificationActivities delegate) {
    this.delegate = delegate;
  }

  @Override
  public void notify(Notice notice) {
    notices.add(notice);
    delegate.notify(notice);
  }

  List<Notice> to(Audience audience) {
    return notices.stream().filter(n -> n.audiences().contains(audience)).toList();
  }
}
