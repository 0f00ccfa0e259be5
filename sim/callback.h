#pragma once
// Callback: a move-only `void()` callable with inline storage, so scheduling an event whose
// lambda captures up to three pointers or ids allocates nothing.
// Larger callables still work; they are moved to the heap.
//
//   Callback cb = [this, id] { finish_copy(id); };  cb();

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "sim/base/assert.h"

namespace ibsim::sim {

class Callback {
 public:
  // Three pointers or ids inline: enough for the kernel's and the models' events, and it keeps a
  // queue entry at 48 bytes, which matters with a million events pending.
  static constexpr std::size_t kInlineBytes = 24;
  static constexpr std::size_t kInlineAlign = alignof(void*);

  Callback() = default;

  template <typename F,
            typename = std::enable_if_t<
                !std::is_same_v<std::decay_t<F>,
                                Callback> && std::is_invocable_r_v<void, std::decay_t<F>&>>>
  Callback(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly by design
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= kInlineAlign
                  && std::is_nothrow_move_constructible_v<Fn>) {
      ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
      ops_ = &kInlineOps<Fn>;
    } else {
      Fn* heap = new Fn(std::forward<F>(f));
      ::new (static_cast<void*>(storage_)) Fn*(heap);
      ops_ = &kHeapOps<Fn>;
    }
  }

  Callback(Callback&& other) noexcept { move_from(other); }

  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      move_from(other);
    }
    return *this;
  }

  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;

  ~Callback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }

  void operator()() {
    IBSIM_ASSERT(ops_ != nullptr, "an empty Callback is never invoked");
    ops_->invoke(storage_);
  }

  void reset() {
    if (ops_ != nullptr) {
      ops_->destroy(storage_);
      ops_ = nullptr;
    }
  }

 private:
  struct Ops {
    void (*invoke)(void* storage);
    // Moves into raw storage and destroys the source; null when the bytes can simply be copied
    // (trivially copyable callables and heap pointers), which keeps moving queue entries cheap.
    void (*move)(void* from, void* to);
    void (*destroy)(void* storage);
  };

  template <typename Fn>
  static void move_inline(void* from, void* to) {
    Fn* src = std::launder(static_cast<Fn*>(from));
    ::new (to) Fn(std::move(*src));
    src->~Fn();
  }

  template <typename Fn>
  static constexpr Ops kInlineOps = {
      [](void* s) { (*std::launder(static_cast<Fn*>(s)))(); },
      std::is_trivially_copyable_v<Fn> ? nullptr : &move_inline<Fn>,
      [](void* s) { std::launder(static_cast<Fn*>(s))->~Fn(); },
  };

  template <typename Fn>
  static constexpr Ops kHeapOps = {
      [](void* s) { (**std::launder(static_cast<Fn**>(s)))(); },
      nullptr,
      [](void* s) { delete *std::launder(static_cast<Fn**>(s)); },
  };

  void move_from(Callback& other) noexcept {
    if (other.ops_ != nullptr) {
      if (other.ops_->move != nullptr) {
        other.ops_->move(other.storage_, storage_);
      } else {
        std::memcpy(storage_, other.storage_, kInlineBytes);
      }
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }

  alignas(kInlineAlign) unsigned char storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace ibsim::sim
