//! Screens one card payment and prints the decision, the rules that hit and
//! the risk score; then reads the transaction back and shows how an API
//! error looks.
//!
//! ```sh
//! cargo run -p flagright-api --example verify_transaction                    # offline mock
//! FLAGRIGHT_API_KEY=... cargo run -p flagright-api --example verify_transaction # sandbox
//! ```

mod support;

use flagright_api::Error;
use flagright_api::types::{
    CardBrand, CardDetails, CardExpiry, CardFunding, CardMerchantDetails, ConsumerName,
    CountryCode, DeviceData, IbanDetails,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let target = support::connect().await?;
    let client = &target.client;

    // A card payment: the payment details are a tagged union, one variant
    // per payment method (`method: "CARD"` on the wire).
    let card = CardDetails::builder()
        .card_fingerprint("fp_9c1e4b7d2a6f4e0b8d3c5a1f")
        .card_brand(CardBrand::Visa)
        .card_funding(CardFunding::Debit)
        .card_issued_country(CountryCode::De)
        .card_first6_digits("424242")
        .card_last4_digits("4242")
        .card_present(false)
        .name_on_card(
            ConsumerName::builder()
                .first_name("Lena")
                .last_name("Hoffmann")
                .build(),
        )
        .card_expiry(CardExpiry::builder().month(9).year(2028).build())
        .merchant_details(
            CardMerchantDetails::builder()
                .name("Nordwind Electronics")
                .mcc("5732")
                .country(CountryCode::De)
                .build(),
        )
        .build();
    let receiver = IbanDetails::builder()
        .iban("GB33BUKB20201555555555")
        .bic("BUKBGB22")
        .bank_name("Bukbank plc")
        .name("Amara Okafor")
        .build();

    let transaction_id = format!("txn-{}-000187", support::run_id());
    // The sample transfer the tests and benchmarks share, with this run's
    // id and time, the card above, and a device abroad (a toy rule hits).
    let mut transaction = flagright_api::samples::transaction();
    transaction.transaction_id = transaction_id.clone();
    transaction.timestamp = support::now_millis().into();
    transaction.origin_payment_details = Some(card.into());
    transaction.destination_payment_details = Some(receiver.into());
    transaction.origin_device_data = Some(
        DeviceData::builder()
            .ip_address("203.0.113.42")
            .ip_country(CountryCode::Nl)
            .device_identifier("dev-5b1f0c7e9a")
            .build(),
    );

    let amount = transaction
        .origin_amount_details
        .as_ref()
        .expect("set above");
    println!(
        "Screening {transaction_id}: {:.2} {} from {} to {}",
        amount.transaction_amount,
        amount.transaction_currency,
        support::describe_payment(transaction.origin_payment_details.as_ref().expect("set")),
        support::describe_payment(
            transaction
                .destination_payment_details
                .as_ref()
                .expect("set")
        ),
    );

    // The users do not have to exist yet for this demo.
    let result = client
        .transactions()
        .verify(&transaction)
        .validate_origin_user_id(false)
        .validate_destination_user_id(false)
        .await?;

    println!("\nDecision: {}", result.status);
    if let Some(risk) = &result.risk_score_details {
        println!(
            "Transaction risk score: {} ({})",
            risk.trs_score.map_or("n/a".to_owned(), |s| s.to_string()),
            risk.trs_risk_level
                .as_ref()
                .map_or("n/a", |level| level.as_str()),
        );
    }
    println!(
        "Rules hit: {} of {} executed",
        result.hit_rules.len(),
        result.executed_rules.len()
    );
    for rule in &result.hit_rules {
        println!(
            "  - {} {:<32} -> {}",
            rule.rule_id.as_deref().unwrap_or(&rule.rule_instance_id),
            rule.rule_name,
            rule.rule_action
        );
    }
    if let Some(message) = &result.message {
        println!("Message: {message}");
    }

    // Read it back: the stored transaction with its latest screening result.
    let stored = client.transactions().get(&transaction_id).await?;
    println!(
        "\nRead back {}: state {}, status {}",
        stored.transaction_id,
        stored
            .transaction_state
            .as_ref()
            .map_or("n/a", |state| state.as_str()),
        stored.status
    );

    // Errors carry the HTTP status and the API's message.
    match client.transactions().get("txn-that-does-not-exist").await {
        Ok(found) => println!("Unexpectedly found {}", found.transaction_id),
        Err(error) => {
            println!("\nLooking up an unknown transaction fails as expected:");
            if let Some(status) = error.status() {
                println!("  status: {status}");
            }
            println!("  error:  {error}");
            if let Some(api) = error.api_error() {
                println!(
                    "  message from the API: {:?}",
                    api.message.as_deref().unwrap_or("")
                );
            }
        }
    }

    if target.is_offline() {
        println!("\n(These results came from the offline mock, not from Flagright.)");
    }
    Ok(())
}
