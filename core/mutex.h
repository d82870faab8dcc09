// A mutex, its scoped lock and a condition variable that Clang's thread-safety
// analysis understands (-Wthread-safety, on in the clang build): shared state
// is declared GUARDED_BY its mutex, and a function that needs the mutex held
// says REQUIRES. libstdc++'s std::mutex carries no such annotations, so the
// analysis could not see a lock taken through it. GCC compiles the
// annotations away. The model is leveldb's port/port_stdcxx.h and
// port/thread_annotations.h.
//
// Thread safety: Mutex and CondVar are meant to be shared between threads;
// a MutexLock belongs to the thread that made it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define PRESENTIE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define PRESENTIE_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) PRESENTIE_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY PRESENTIE_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) PRESENTIE_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) PRESENTIE_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) PRESENTIE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) PRESENTIE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) PRESENTIE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) PRESENTIE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) PRESENTIE_THREAD_ANNOTATION(assert_capability(x))

namespace presentie {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ACQUIRE(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() RELEASE() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// A condition variable; each Wait names the Mutex it needs held, so that the
// analysis checks it.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu`, waits for a Signal (or a spurious wake-up) and takes `mu`
  // again before it returns.
  void Wait(Mutex* mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // the caller still holds the mutex
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace presentie
