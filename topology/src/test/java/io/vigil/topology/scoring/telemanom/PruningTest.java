package io.vigil.topology.scoring.telemanom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PruningTest {

    private static final double P = 0.13;

    @Test
    void aLargeDropBelowEverySequenceKeepsThemAll() {
        // sorted [10, 9.5, 5, 4]: d = 0.05 (mark 10), 0.47 (clear), 0.2 (clear) -> all survive
        assertArrayEquals(new boolean[] {true, true, true}, Pruning.survivors(new double[] {10, 9.5, 5}, 4, P));
    }

    @Test
    void aSmallDropToTheNominalMaxPrunesTheSmallestSequence() {
        // sorted [10, 9.5, 5, 4.5]: d = 0.05 (mark), 0.47 (clear), 0.1 (mark 5) -> 5 is nominal
        assertArrayEquals(new boolean[] {true, true, false}, Pruning.survivors(new double[] {10, 9.5, 5}, 4.5, P));
    }

    @Test
    void withoutAnyLargeDropNothingSurvives() {
        // sorted [10, 9.5, 9]: d = 0.05, 0.053 -> both marked, never cleared
        assertArrayEquals(new boolean[] {false, false}, Pruning.survivors(new double[] {10, 9.5}, 9, P));
    }

    @Test
    void inputOrderDoesNotMatter() {
        assertArrayEquals(new boolean[] {false, true, true}, Pruning.survivors(new double[] {5, 10, 9.5}, 4.5, P));
    }

    @Test
    void aDropOfExactlyPClears() {
        // (100 - 87) / 100 = 0.13 (13.0 / 100 rounds to the same double as 0.13): not below p, kept
        assertArrayEquals(new boolean[] {true}, Pruning.survivors(new double[] {100}, 87, P));
        assertArrayEquals(new boolean[] {false}, Pruning.survivors(new double[] {100}, 87.5, P));
    }

    @Test
    void withNoNominalValueTheSmallestIsJudgedByItsNeighboursOnly() {
        // sorted [10, 5]: d = 0.5 clears; the walk ends clearing -> both survive
        assertArrayEquals(new boolean[] {true, true},
                Pruning.survivors(new double[] {5, 10}, Double.NEGATIVE_INFINITY, P));
        // sorted [10, 9.5]: 10 marked, then the end clears it again -> both survive
        assertArrayEquals(new boolean[] {true, true},
                Pruning.survivors(new double[] {10, 9.5}, Double.NEGATIVE_INFINITY, P));
    }
}
