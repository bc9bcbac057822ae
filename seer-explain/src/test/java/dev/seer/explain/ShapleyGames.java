package dev.seer.explain;

/**
 * The definitions the explainers are checked against: Shapley values and Shapley interaction
 * indices of a game given by its value on every bit mask of its m players, by enumeration.
 */
final class ShapleyGames {
    private ShapleyGames() {}

    /** φ_i = Σ_{S ∌ i} |S|!(m−|S|−1)!/m! (v(S ∪ i) − v(S)). */
    static double[] values(double[] v, int m) {
        double[] phi = new double[m];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < v.length; s++) {
                if ((s >>> i & 1) == 0) {
                    int size = Integer.bitCount(s);
                    phi[i] += factorial(size) * factorial(m - size - 1) / factorial(m) * (v[s | 1 << i] - v[s]);
                }
            }
        }
        return phi;
    }

    /** The Shapley interaction index of i and j, halved between (i, j) and (j, i) as Lundberg et al. 2020 do. */
    static double interaction(double[] v, int m, int i, int j) {
        double phi = 0;
        for (int s = 0; s < v.length; s++) {
            if ((s >>> i & 1) == 0 && (s >>> j & 1) == 0) {
                int size = Integer.bitCount(s);
                double w = factorial(size) * factorial(m - size - 2) / (2 * factorial(m - 1));
                phi += w * (v[s | 1 << i | 1 << j] - v[s | 1 << i] - v[s | 1 << j] + v[s]);
            }
        }
        return phi;
    }

    static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }
}
