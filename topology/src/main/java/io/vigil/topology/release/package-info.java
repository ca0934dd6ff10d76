/**
 * Channel models in the scorer: the models topic materialized into the scoring sub-topology's stores
 * by {@link io.vigil.topology.release.ModelKeeper} (checked by
 * {@link io.vigil.topology.release.ReleaseCheck}, admitted by
 * {@link io.vigil.topology.release.ChampionRule}), and read back per point by
 * {@link io.vigil.topology.release.ChannelModels} through the instance's
 * {@link io.vigil.topology.release.ModelCache}. The rules are in {@code docs/scoring.md}.
 */
package io.vigil.topology.release;
