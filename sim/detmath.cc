#include "sim/detmath.h"

#include <cmath>
#include <limits>

#include "sim/base/assert.h"

namespace ibsim::sim {
namespace {

constexpr double kLn2 = 0.693147180559945309417232121458176568;
// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (Cody and Waite's reduction).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kSqrtHalf = 0.707106781186547524400844362104849039;

}  // namespace

double det_log(double x) {
  IBSIM_ASSERT(x > 0.0 && std::isfinite(x), "det_log is only called on positive finite values");
  int exponent = 0;
  double m = std::frexp(x, &exponent);  // x = m * 2^exponent, m in [0.5, 1); exact.
  if (m < kSqrtHalf) {
    m *= 2.0;
    --exponent;
  }
  // ln m = 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.1716; the series converges fast.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double term = s;
  double sum = 0.0;
  for (int k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return static_cast<double>(exponent) * kLn2 + 2.0 * sum;
}

double det_exp(double x) {
  if (x > 709.0) {
    return std::numeric_limits<double>::max();
  }
  if (x < -745.0) {
    return 0.0;
  }
  // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r.
  const double kd = std::floor(x / kLn2 + 0.5);
  const int k = static_cast<int>(kd);
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  double term = 1.0;
  double sum = 1.0;
  for (int n = 1; n <= 20; ++n) {
    term *= r / n;
    sum += term;
  }
  return std::ldexp(sum, k);
}

}  // namespace ibsim::sim
