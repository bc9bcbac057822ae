/**
 * Profiles of tables built from mergeable sketches (Apache DataSketches: KLL quantiles, frequent
 * items, HyperLogLog): {@link dev.seer.monitoring.profile.Profile} for one data set or window,
 * {@link dev.seer.monitoring.profile.WindowedProfiles} for a stream kept per time window, and the
 * drift statistics (KS, Wasserstein-1, binned shares for PSI and Jensen-Shannon) computed from two
 * profiles' sketches without the raw rows.
 */
package dev.seer.monitoring.profile;
