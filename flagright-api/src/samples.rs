//! Realistic values to test with: one card-to-IBAN transfer, the payload the
//! examples, the contract tests and the benchmarks send.
//!
//! ```
//! let tx = flagright_api::samples::transaction();
//! assert_eq!(tx.transaction_id, "txn-000187");
//! let tenth = flagright_api::samples::numbered_transaction(10);
//! assert_eq!(tenth.transaction_id, "txn-00000010");
//! ```

use crate::types::{
    CardBrand, CardDetails, CountryCode, CurrencyCode, DeviceData, IbanDetails, Tag, Transaction,
    TransactionAmountDetails, TransactionState,
};

/// Milliseconds since the epoch of the sample transaction (2024-11-21 12:00 UTC).
pub const TIMESTAMP: i64 = 1_732_190_400_000;

/// A card payment of 1,250 EUR from `usr-c-7f3c2a91` to an IBAN of
/// `usr-c-2b81e0d4` (received as 1,068.75 GBP), `txn-000187`, with device
/// data, a reference and a tag: about 900 bytes of JSON.
pub fn transaction() -> Transaction {
    Transaction::builder()
        .type_("TRANSFER")
        .transaction_id("txn-000187")
        .timestamp(TIMESTAMP)
        .origin_user_id("usr-c-7f3c2a91")
        .destination_user_id("usr-c-2b81e0d4")
        .transaction_state(TransactionState::Created)
        .origin_amount_details(amount(1250.0, CurrencyCode::Eur, CountryCode::De))
        .destination_amount_details(amount(1068.75, CurrencyCode::Gbp, CountryCode::Gb))
        .origin_payment_details(card("fp_9c1e4b7d2a6f4e0b"))
        .destination_payment_details(iban())
        .origin_device_data(
            DeviceData::builder()
                .ip_address("203.0.113.42")
                .ip_country(CountryCode::De)
                .device_identifier("dev-5b1f0c7e9a")
                .build(),
        )
        .reference("Rent November")
        .tags(vec![
            Tag::builder().key("channel").value("mobile-app").build(),
        ])
        .build()
}

/// The `i`-th of many distinct transfers shaped like [`transaction`]:
/// id `txn-{i:08}`, its own timestamp, users, amount and card fingerprint.
pub fn numbered_transaction(i: usize) -> Transaction {
    let mut tx = transaction();
    tx.transaction_id = format!("txn-{i:08}");
    tx.timestamp = (TIMESTAMP + i as i64).into();
    tx.origin_user_id = Some(format!("usr-c-{:06}", i % 5_000));
    tx.destination_user_id = Some(format!("usr-c-{:06}", (i + 7) % 5_000));
    tx.origin_amount_details = Some(amount(
        (i % 5_000) as f64 / 10.0,
        CurrencyCode::Eur,
        CountryCode::De,
    ));
    tx.origin_payment_details = Some(card(&format!("fp_{i:016x}")));
    tx
}

fn amount(value: f64, currency: CurrencyCode, country: CountryCode) -> TransactionAmountDetails {
    TransactionAmountDetails::builder()
        .transaction_amount(value)
        .transaction_currency(currency)
        .country(country)
        .build()
}

fn card(fingerprint: &str) -> crate::types::PaymentDetails {
    CardDetails::builder()
        .card_fingerprint(fingerprint)
        .card_brand(CardBrand::Visa)
        .card_issued_country(CountryCode::De)
        .card_last4_digits("4242")
        .build()
        .into()
}

fn iban() -> crate::types::PaymentDetails {
    IbanDetails::builder()
        .iban("GB33BUKB20201555555555")
        .bic("BUKBGB22")
        .bank_name("Bukbank plc")
        .name("Amara Okafor")
        .build()
        .into()
}
