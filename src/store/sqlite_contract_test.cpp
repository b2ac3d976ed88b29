// The backend contract (store_*_contract_test.cpp) run against SQLite.
#include "store/store_test_support.h"

namespace portrait::store {

PORTRAIT_INSTANTIATE_STORE_CONTRACT(Contract, Backend::kSqlite);

}  // namespace portrait::store
