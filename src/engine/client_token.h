#pragma once
// Idempotency tokens the engine derives, never draws: the same image, region and account always
// give the same ClientToken, so re-running a distribution (or retrying a call whose answer was
// lost) returns the copy already made instead of starting another one. 128 bits of two
// independent 64-bit FNV-1a hashes over the length-prefixed parts, as 32 hex digits behind a
// short prefix (EC2 accepts up to 64 ASCII characters).
//
//   std::string token = client_token({image_arn, region.str(), account.str()});

#include <initializer_list>
#include <string>
#include <string_view>

namespace ibsim::engine {

std::string client_token(std::initializer_list<std::string_view> parts);

}  // namespace ibsim::engine
