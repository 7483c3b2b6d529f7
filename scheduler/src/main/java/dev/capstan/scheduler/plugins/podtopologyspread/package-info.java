/**
 * PodTopologySpread: DoNotSchedule constraints filter on the skew of matching pods across topology domains (counted
 * once per cycle in PreFilter); ScheduleAnyway constraints score.
 */
package dev.capstan.scheduler.plugins.podtopologyspread;
