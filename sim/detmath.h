#pragma once

// Deterministic logarithm and exponential built only from IEEE-754 +, -, *, / and exact scaling,
// so the distributions in sim::Rng give bit-identical draws with every C library (libm's log and
// exp are not required to be correctly rounded and differ between versions). Accurate to a few
// ulps, which is plenty for sampling.

namespace ibsim::sim {

// Natural logarithm of x > 0.
double det_log(double x);

// e^x; saturates to 0 below -745 and to the largest finite double above 709.
double det_exp(double x);

}  // namespace ibsim::sim
