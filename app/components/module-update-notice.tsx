import { Link } from "@remix-run/react";
import { Notification } from "#app/components/ui/notification.tsx";

export type ModuleUpdateView = { slug: string; title: string; completedVersion: number; currentVersion: number };

/** "This module was updated": shown to learners who completed an earlier version before a material change. */
export function ModuleUpdateNotice({ update, showTitle }: { update: ModuleUpdateView; showTitle: boolean }) {
  return (
    <Notification tone="warning" title={showTitle ? `${update.title}: this module was updated` : "This module was updated"}>
      <p>
        You completed version {update.completedVersion}; version {update.currentVersion} changes what you need to know.{" "}
        <Link to={`/modules/${update.slug}/what-changed`}>See what changed{showTitle ? ` in ${update.title}` : ""}</Link>
      </p>
    </Notification>
  );
}
