package io.vigil.topology.scoring.telemanom;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Telemanom's pruning: decides which flagged sequences of one window stay anomalous.
 *
 * <p>The sequence maxima are sorted in descending order and the largest non-flagged error is
 * appended. Walking down the list, a pair whose relative drop d_i = (e_i - e_(i+1)) / e_i is below
 * {@code p} marks sequence i for removal, and a pair with d_i >= p clears every mark so far. Net
 * effect: the sequences down to the last drop of at least {@code p} survive and all smaller ones
 * become nominal. Without any non-flagged error the walk ends with a clearing pair, so the smallest
 * sequence is judged only against its larger neighbours. Equal maxima are adjacent in the order and
 * share their fate, whichever of them the sort puts first.
 */
public final class Pruning {

    private Pruning() {}

    /**
     * @param maxima each sequence's largest error, in any order (all positive)
     * @param nonFlaggedMax the largest error not flagged, or negative infinity if there is none
     * @param p the minimum relative drop
     * @return per sequence, in the order given, whether it survives
     */
    public static boolean[] survivors(double[] maxima, double nonFlaggedMax, double p) {
        int m = maxima.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> maxima[i]).reversed());
        int lastClear = -1;
        for (int rank = 0; rank < m; rank++) {
            double e = maxima[order[rank]];
            double next = rank + 1 < m ? maxima[order[rank + 1]] : nonFlaggedMax;
            if ((e - next) / e >= p) {
                lastClear = rank;
            }
        }
        boolean[] keep = new boolean[m];
        for (int rank = 0; rank <= lastClear; rank++) {
            keep[order[rank]] = true;
        }
        return keep;
    }
}
